using System.Net;
using System.Net.Sockets;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>
/// Forwards TCP connections from one address to another, byte for byte: OTLP over gRPC (HTTP/2) passes through
/// unchanged. The dashboard listens on 127.0.0.1 only, which pods cannot reach; the relay listens on the address the
/// pods can reach (the kind network's gateway, reachable from the nodes and this host, not from the network outside)
/// and forwards to the dashboard. Written by hand: no served library relays TCP, and this is all it does.
/// </summary>
public sealed class OtlpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly DnsEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Task _accepting = Task.CompletedTask;
    private long _accepted;

    /// <summary>A relay from <paramref name="listen"/> to <paramref name="target"/> (host and port of an http URL).</summary>
    public OtlpRelay(IPEndPoint listen, Uri target)
    {
        _listener = new TcpListener(listen);
        _target = new DnsEndPoint(target.Host, target.Port);
    }

    /// <summary>The address pods send to (its port resolved after <see cref="Start"/> when 0 was asked for).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections forwarded so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Starts listening; a SocketException (address not on this host, port taken) reaches the caller.</summary>
    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ForwardAsync(client, stopping));
            }
        }
    }

    private async Task ForwardAsync(Socket client, CancellationToken stopping)
    {
        using var clientSocket = client;
        using var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await upstream.ConnectAsync(_target, stopping).ConfigureAwait(false);
            await using var fromClient = new NetworkStream(clientSocket, ownsSocket: false);
            await using var toTarget = new NetworkStream(upstream, ownsSocket: false);
            // Each direction ends with its sender's FIN, passed on as a shutdown of the other side's send direction,
            // so a half-closed HTTP/2 connection behaves as it would without the relay.
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var up = PumpAsync(fromClient, toTarget, upstream, connection.Token);
            var down = PumpAsync(toTarget, fromClient, clientSocket, connection.Token);
            if (await Task.WhenAny(up, down).ConfigureAwait(false) is { IsCompletedSuccessfully: false })
            {
                await connection.CancelAsync().ConfigureAwait(false); // one side broke: drop the other too
            }

            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
        {
            // The dashboard is gone or the pod hung up: the exporter retries on a new connection.
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, Socket toSocket, CancellationToken stopping)
    {
        await from.CopyToAsync(to, stopping).ConfigureAwait(false);
        toSocket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Stops listening and cuts the open connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Task[] open;
        lock (_connections)
        {
            open = [_accepting, .. _connections];
        }

        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
