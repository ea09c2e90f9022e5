using DevEnv.AppHost.Clients.Docker;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <summary>
/// The real Docker client, except that GET /version reports another architecture (as an engine on Apple Silicon
/// answers "arm64"); everything else, the version's other fields included, is the real engine's.
/// </summary>
internal sealed class EngineOnArchitecture(IDockerClient real, string architecture) : IDockerClient, ISystemOperations
{
    public DockerEndpoint Endpoint => real.Endpoint;

    public ISystemOperations System => this;

    public IImageOperations Images => real.Images;

    public IContainerOperations Containers => real.Containers;

    public INetworkOperations Networks => real.Networks;

    public IVolumeOperations Volumes => real.Volumes;

    public Task PingAsync(CancellationToken cancellationToken) => real.System.PingAsync(cancellationToken);

    public async Task<DockerVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        await real.System.GetVersionAsync(cancellationToken) with { Arch = architecture };
}
