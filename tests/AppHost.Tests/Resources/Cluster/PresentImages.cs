using DevEnv.Hosting.Resources.Cluster;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <summary>
/// The real engine, except that every image is said to be present: lets a test get past the cluster's own
/// node-image check so the real kind meets an image that is not there. Pulling is then never asked for, so it throws.
/// </summary>
internal sealed class PresentImages(IClusterEngine real) : IClusterEngine
{
    public Task<bool> HasImageAsync(string image, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task PullImageAsync(string image, Action<string> log, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"PresentImages says {image} is present: the cluster must not pull it");

    public Task<Docker.DotNet.Models.ContainerInspectResponse?> TryInspectContainerAsync(string idOrName, CancellationToken cancellationToken) =>
        real.TryInspectContainerAsync(idOrName, cancellationToken);

    public Task StartContainerAsync(string idOrName, CancellationToken cancellationToken) => real.StartContainerAsync(idOrName, cancellationToken);

    public Task WriteFileAsync(string container, string path, ReadOnlyMemory<byte> content, UnixFileMode mode, CancellationToken cancellationToken) =>
        real.WriteFileAsync(container, path, content, mode, cancellationToken);

    public Task<byte[]> ReadFileAsync(string container, string path, CancellationToken cancellationToken) => real.ReadFileAsync(container, path, cancellationToken);

    public Task ConnectNetworkAsync(string network, string container, CancellationToken cancellationToken) =>
        real.ConnectNetworkAsync(network, container, cancellationToken);

    public Task<string> ArchitectureAsync(CancellationToken cancellationToken) => real.ArchitectureAsync(cancellationToken);
}
