using System.Net;
using System.Net.Sockets;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// A small TCP forwarder standing in for kube-proxy: each client connection is forwarded to the backend
/// until either side closes. When the backend refuses the connection (it stopped listening), the client's
/// connection is reset, which is what a client behind kube-proxy sees when traffic still reaches a pod
/// that has stopped accepting.
/// </summary>
public sealed class ForwardingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _backendPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public ForwardingProxy(int backendPort)
    {
        _backendPort = backendPort;
        _listener.Start();
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    /// <summary>http://127.0.0.1:proxy-port.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(cancellationToken);
            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            using var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, _backendPort, cancellationToken);
            }
            catch (SocketException)
            {
                client.Client.LingerState = new LingerOption(true, 0); // reset, like a refused connection
                return;
            }

            var fromClient = client.GetStream().CopyToAsync(backend.GetStream(), cancellationToken);
            var fromBackend = backend.GetStream().CopyToAsync(client.GetStream(), cancellationToken);
            await Task.WhenAny(fromClient, fromBackend); // WhenAny never throws
            // Closing one side ends the other copy; HTTP/1.1 here never half-closes.
        }
    }
}
