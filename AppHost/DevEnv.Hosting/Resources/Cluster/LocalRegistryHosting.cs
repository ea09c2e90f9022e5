namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// The value of <c>localRegistryHosting.v1</c> (KEP-1755): where tools such as Tilt and Skaffold should push
/// images so that this cluster can pull them.
/// </summary>
public sealed record LocalRegistryHosting
{
    /// <summary>Registry address as seen from the host, e.g. "localhost:5001".</summary>
    public required string Host { get; init; }

    /// <summary>Where to read how the registry is set up.</summary>
    public required string Help { get; init; }
}
