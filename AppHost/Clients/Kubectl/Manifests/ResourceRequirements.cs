namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>CPU and memory requests and limits (quantities such as "100m", "128Mi").</summary>
public sealed record ResourceRequirements
{
    /// <summary>The <c>requests</c> field.</summary>
    public IReadOnlyDictionary<string, string>? Requests { get; init; }

    /// <summary>The <c>limits</c> field.</summary>
    public IReadOnlyDictionary<string, string>? Limits { get; init; }
}
