namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A v1 Service. Property order is the YAML field order.</summary>
public sealed record ServiceObject
{
    /// <summary>Always <c>v1</c>.</summary>
    public string ApiVersion { get; init; } = "v1";

    /// <summary>Always <c>Service</c>.</summary>
    public string Kind { get; init; } = "Service";

    /// <summary>The <c>metadata</c> field.</summary>
    public required ObjectMeta Metadata { get; init; }

    /// <summary>The <c>spec</c> field.</summary>
    public required ServiceSpec Spec { get; init; }
}
