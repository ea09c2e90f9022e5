using Docker.DotNet;
using Docker.DotNet.NativeHttp;
using Docker.DotNet.Unix;
using HttpTransport = Docker.DotNet.NativeHttp.DockerHandlerFactory;
using UnixTransport = Docker.DotNet.Unix.DockerHandlerFactory;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// Connects Docker.DotNet to the endpoint the docker CLI would use (<see cref="DockerEndpointResolver"/>), with an
/// engine that does not answer reported as <see cref="DockerUnavailableException"/> (what to do, where we looked)
/// rather than as a bare socket error.
/// </summary>
public static class DockerEngine
{
    // Ordinary calls; pulls, pushes and followed logs stream for as long as their caller's token allows.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    /// <summary>A client of the engine at <paramref name="endpoint"/>, or at the endpoint resolved from the environment.</summary>
    public static IDockerClient Connect(DockerEndpoint? endpoint = null)
    {
        endpoint ??= DockerEndpointResolver.Resolve();
        // Docker.DotNet.Enhanced 4.3.3, not Docker.DotNet 3.125.15: Enhanced is the maintained continuation of the same
        // client (same Docker.DotNet namespace and operations), built for net10.0 with models of the current Engine API
        // (v29) that still talk to Engine 20.10, and its builder takes a transport factory: the seam through which an
        // engine that does not answer becomes our message. The API version stays unset: the builder does not negotiate
        // down, and unset means the engine's own version, so API 1.41 and newer engines both work (DockerDotNetEngineTests).
        var builder = new DockerClientBuilder().WithEndpoint(endpoint.Uri).WithTimeout(RequestTimeout);
        return endpoint.IsUnixSocket
            ? builder.WithTransportOptions(new UnreachableEngineHandlerFactory<UnixSocketTransportOptions>(UnixTransport.Instance, endpoint),
                new UnixSocketTransportOptions()).Build()
            : builder.WithTransportOptions(new UnreachableEngineHandlerFactory<NativeHttpTransportOptions>(HttpTransport.Instance, endpoint),
                new NativeHttpTransportOptions()).Build();
    }
}
