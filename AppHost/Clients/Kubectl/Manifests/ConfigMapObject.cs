namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A v1 ConfigMap. Property order is the YAML field order.</summary>
public sealed record ConfigMapObject
{
    /// <summary>Always <c>v1</c>.</summary>
    public string ApiVersion { get; init; } = "v1";

    /// <summary>Always <c>ConfigMap</c>.</summary>
    public string Kind { get; init; } = "ConfigMap";

    /// <summary>The <c>metadata</c> field.</summary>
    public required ObjectMeta Metadata { get; init; }

    /// <summary>The <c>data</c> field.</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }
}
