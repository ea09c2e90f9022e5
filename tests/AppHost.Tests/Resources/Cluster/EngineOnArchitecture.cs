using DevEnv.Hosting.Resources.Cluster;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <summary>
/// The real engine, except that GET /version reports another architecture (as an engine on Apple Silicon answers
/// "arm64"); everything else is the real engine's.
/// </summary>
internal sealed class EngineOnArchitecture(IClusterEngine real, string architecture) : IClusterEngine
{
    public Task<string> ArchitectureAsync(CancellationToken cancellationToken) => Task.FromResult(architecture);

    public Task<Docker.DotNet.Models.ContainerInspectResponse?> TryInspectContainerAsync(string idOrName, CancellationToken cancellationToken) =>
        real.TryInspectContainerAsync(idOrName, cancellationToken);

    public Task StartContainerAsync(string idOrName, CancellationToken cancellationToken) => real.StartContainerAsync(idOrName, cancellationToken);

    public Task<bool> HasImageAsync(string image, CancellationToken cancellationToken) => real.HasImageAsync(image, cancellationToken);

    public Task PullImageAsync(string image, Action<string> log, CancellationToken cancellationToken) => real.PullImageAsync(image, log, cancellationToken);

    public Task WriteFileAsync(string container, string path, ReadOnlyMemory<byte> content, UnixFileMode mode, CancellationToken cancellationToken) =>
        real.WriteFileAsync(container, path, content, mode, cancellationToken);

    public Task<byte[]> ReadFileAsync(string container, string path, CancellationToken cancellationToken) => real.ReadFileAsync(container, path, cancellationToken);

    public Task ConnectNetworkAsync(string network, string container, CancellationToken cancellationToken) =>
        real.ConnectNetworkAsync(network, container, cancellationToken);
}
