using System.Net.Sockets;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// Turns "nobody answers at the endpoint" (no socket file, connection refused, permission denied) into
/// <see cref="DockerUnavailableException"/>. An answer with an error status passes through: Docker.DotNet makes its
/// typed exceptions (not found, conflict) from those.
/// </summary>
internal sealed class UnreachableEngineHandler(DockerEndpoint endpoint) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException { StatusCode: null } or SocketException)
        {
            throw DockerUnavailableException.Unreachable(endpoint, $"{request.Method} {request.RequestUri?.AbsolutePath}", ex);
        }
    }
}
