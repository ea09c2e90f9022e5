namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>The native sleep lifecycle action (stable since Kubernetes 1.34).</summary>
public sealed record SleepAction
{
    /// <summary>The <c>seconds</c> field.</summary>
    public long? Seconds { get; init; }
}
