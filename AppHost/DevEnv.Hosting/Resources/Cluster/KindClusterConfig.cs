namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>kind's cluster config (kind.x-k8s.io/v1alpha4): what we set of it, in kind's field order.</summary>
public sealed record KindClusterConfig
{
    /// <summary>Always "Cluster".</summary>
    public string Kind { get; init; } = "Cluster";

    /// <summary>Always "kind.x-k8s.io/v1alpha4".</summary>
    public string ApiVersion { get; init; } = "kind.x-k8s.io/v1alpha4";

    /// <summary>Cluster name (the kube context becomes kind-&lt;name&gt;).</summary>
    public required string Name { get; init; }

    /// <summary>One control-plane node, then the workers.</summary>
    public required IReadOnlyList<KindNode> Nodes { get; init; }

    /// <summary>TOML patches merged into each node's containerd config; only for old node images.</summary>
    public IReadOnlyList<string>? ContainerdConfigPatches { get; init; }
}
