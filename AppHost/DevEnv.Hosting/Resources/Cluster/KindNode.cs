namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>One node of a kind cluster.</summary>
public sealed record KindNode
{
    /// <summary>"control-plane" or "worker".</summary>
    public required string Role { get; init; }

    /// <summary>The pinned node image.</summary>
    public required string Image { get; init; }

    /// <summary>Kubernetes labels of the node.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Host ports forwarded into the node container.</summary>
    public IReadOnlyList<KindPortMapping>? ExtraPortMappings { get; init; }
}
