using Docker.DotNet.Models;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// The few Docker Engine operations the kind cluster makes (its node containers, the node image, files on the nodes,
/// the registry on the kind network, the engine's architecture). Narrow on purpose: a test can stand in for one of
/// them around the real engine without implementing Docker.DotNet's whole client.
/// </summary>
public interface IClusterEngine
{
    /// <summary>The container, or null when there is none of that name or ID.</summary>
    Task<ContainerInspectResponse?> TryInspectContainerAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Starts a container (a no-op when it runs).</summary>
    Task StartContainerAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Whether the engine has the image.</summary>
    Task<bool> HasImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>Pulls the image, each progress message to <paramref name="log"/> as a line; a failure inside the stream throws too.</summary>
    Task PullImageAsync(string image, Action<string> log, CancellationToken cancellationToken);

    /// <summary>Writes one file at an absolute path, its missing directories made; the container may be stopped.</summary>
    Task WriteFileAsync(string container, string path, ReadOnlyMemory<byte> content, UnixFileMode mode, CancellationToken cancellationToken);

    /// <summary>The content of one file; the container may be stopped. A missing path or container is a 404.</summary>
    Task<byte[]> ReadFileAsync(string container, string path, CancellationToken cancellationToken);

    /// <summary>Connects the container to the network; already connected counts as done.</summary>
    Task ConnectNetworkAsync(string network, string container, CancellationToken cancellationToken);

    /// <summary>The engine's architecture as GET /version reports it (Go's GOARCH: amd64, arm64).</summary>
    Task<string> ArchitectureAsync(CancellationToken cancellationToken);
}
