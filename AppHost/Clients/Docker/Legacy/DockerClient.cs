namespace DevEnv.AppHost.Clients.Docker;

/// <summary>
/// TEMPORARY, with everything in Clients/Docker/Legacy/: the hand-written client, kept only for the kind cluster resource
/// (Resources/Cluster) and its tests, which are being rewritten with issue 15 and are ported to Docker.DotNet at that
/// merge (<see cref="DockerEngine"/>); then this folder and DevEnvServices.LegacyDocker go. Trimmed to what they call:
/// HTTP over the endpoint the docker CLI would use (see <see cref="DockerEndpointResolver"/>), API version negotiated
/// on first call.
/// </summary>
public sealed class DockerClient : IDockerClient, IDisposable
{
    private readonly DockerTransport _transport;

    /// <summary>Connects to <paramref name="endpoint"/>, or to the endpoint resolved from the environment.</summary>
    public DockerClient(DockerEndpoint? endpoint = null)
    {
        _transport = new DockerTransport(endpoint ?? DockerEndpointResolver.Resolve());
        System = new SystemOperations(_transport);
        Images = new ImageOperations(_transport);
        Containers = new ContainerOperations(_transport);
        Networks = new NetworkOperations(_transport);
        Volumes = new VolumeOperations(_transport);
    }

    /// <inheritdoc />
    public DockerEndpoint Endpoint => _transport.Endpoint;

    /// <summary>The negotiated API version (null before the first call).</summary>
    public Version? ApiVersion => _transport.ApiVersion;

    /// <inheritdoc />
    public ISystemOperations System { get; }

    /// <inheritdoc />
    public IImageOperations Images { get; }

    /// <inheritdoc />
    public IContainerOperations Containers { get; }

    /// <inheritdoc />
    public INetworkOperations Networks { get; }

    /// <inheritdoc />
    public IVolumeOperations Volumes { get; }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();
}
