namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>A host port forwarded to a port of a kind node container.</summary>
public sealed record KindPortMapping
{
    /// <summary>Port inside the node (the Service's nodePort).</summary>
    public required int ContainerPort { get; init; }

    /// <summary>Port on the host.</summary>
    public required int HostPort { get; init; }

    /// <summary>Host address to bind; loopback so the service is not exposed to the network.</summary>
    public required string ListenAddress { get; init; }

    /// <summary>TCP.</summary>
    public string Protocol { get; init; } = "TCP";
}
