namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Container lifecycle hooks.</summary>
public sealed record Lifecycle
{
    /// <summary>The <c>preStop</c> field.</summary>
    public LifecycleHandler? PreStop { get; init; }
}
