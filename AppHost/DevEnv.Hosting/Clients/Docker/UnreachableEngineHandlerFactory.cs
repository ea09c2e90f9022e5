using Docker.DotNet.Handler.Abstractions;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// Docker.DotNet's own transport (unix socket or HTTP) with <see cref="UnreachableEngineHandler"/> in front of it; stream
/// hijacking (attach, exec) stays the transport's.
/// </summary>
internal sealed class UnreachableEngineHandlerFactory<TOptions>(IDockerHandlerFactory<TOptions> transport, DockerEndpoint endpoint) : IDockerHandlerFactory<TOptions>
{
    public ResolvedTransport CreateHandler(TOptions transportOptions, ResolvedClientOptions clientOptions, ILogger logger) =>
        InFront(transport.CreateHandler(transportOptions, clientOptions, logger));

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        InFront(transport.CreateHandler(clientOptions, logger));

    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) => transport.HijackStreamAsync(content);

    private ResolvedTransport InFront(ResolvedTransport resolved) =>
        resolved with { Handler = new UnreachableEngineHandler(endpoint) { InnerHandler = resolved.Handler } };
}
