using System.Net;
using System.Net.Sockets;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// TEST-ONLY stand-in for a Service + kube-proxy: a TCP proxy on 127.0.0.1 that sends each new connection to the
/// next ready endpoint (round-robin). Like iptables-mode kube-proxy it works per connection: an established
/// connection stays with its backend after the endpoint leaves the rotation (conntrack), so keep-alive clients
/// are only safe if the app closes them gracefully. A connection with no endpoint to go to, or whose backend
/// refuses, is reset. Readiness gating is in <see cref="EndpointProbe"/>.
/// </summary>
public sealed class ServiceProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Endpoint> _endpoints = [];
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private long _next;

    /// <summary>Starts listening on a free 127.0.0.1 port.</summary>
    public ServiceProxy()
    {
        _listener.Start(backlog: 1024);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The Service's URL, e.g. http://127.0.0.1:43210/.</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Connections that found no endpoint in rotation (reset at once).</summary>
    public long NoEndpointConnections => Interlocked.Read(ref _noEndpoint);

    private long _noEndpoint;

    /// <summary>Connections whose backend refused (it stopped listening while still in rotation); reset.</summary>
    public long RefusedConnections => Interlocked.Read(ref _refused);

    private long _refused;

    /// <summary>Registers a replica; it takes traffic once <see cref="SetReady"/> says so.</summary>
    public void Add(Replica replica)
    {
        lock (_endpoints) _endpoints.Add(new Endpoint(replica));
    }

    /// <summary>Readiness as the probe last saw it.</summary>
    public void SetReady(Replica replica, bool ready)
    {
        lock (_endpoints)
        {
            var endpoint = _endpoints.Find(e => e.Replica == replica);
            if (endpoint is not null) endpoint.Ready = ready;
        }
    }

    /// <summary>Takes a replica out of the rotation (after the propagation delay, which the caller awaits).</summary>
    public void Remove(Replica replica)
    {
        lock (_endpoints) _endpoints.RemoveAll(e => e.Replica == replica);
    }

    /// <summary>Replicas currently receiving new connections.</summary>
    public IReadOnlyList<Replica> InRotation()
    {
        lock (_endpoints) return _endpoints.Where(e => e.Ready).Select(e => e.Replica).ToList();
    }

    private int? PickBackend()
    {
        lock (_endpoints)
        {
            var ready = _endpoints.Where(e => e.Ready).ToList();
            if (ready.Count == 0) return null;
            return ready[(int)(_next++ % ready.Count)].Replica.HostPort;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var task = HandleAsync(client);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    private async Task HandleAsync(Socket client)
    {
        client.NoDelay = true;
        var port = PickBackend();
        if (port is null)
        {
            Interlocked.Increment(ref _noEndpoint);
            Reset(client);
            return;
        }
        var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await backend.ConnectAsync(IPAddress.Loopback, port.Value, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The backend is gone (it stopped listening before leaving the rotation): the client sees a reset.
            Interlocked.Increment(ref _refused);
            backend.Dispose();
            Reset(client);
            return;
        }
        var up = PumpAsync(client, backend);
        var down = PumpAsync(backend, client);
        await Task.WhenAll(up, down).ConfigureAwait(false);
        client.Dispose();
        backend.Dispose();
    }

    /// <summary>Copies one direction; EOF is passed on as a half-close, an error as a reset of the other side.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            Reset(to);
            Reset(from);
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception) { /* already closed */ }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (_connections) open = _connections.ToArray();
        await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class Endpoint(Replica replica)
    {
        public Replica Replica { get; } = replica;

        public bool Ready { get; set; }
    }
}
