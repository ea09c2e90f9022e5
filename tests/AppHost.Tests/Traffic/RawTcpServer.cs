using System.Net;
using System.Net.Sockets;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>
/// A TCP listener on 127.0.0.1 that misbehaves on purpose: resets every connection or never answers,
/// so the generator's failure classification is tested against real sockets.
/// </summary>
internal sealed class RawTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _held = [];
    private readonly Task _loop;

    public RawTcpServer(bool reset)
    {
        _listener.Start();
        _loop = AcceptAsync(reset);
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    private async Task AcceptAsync(bool reset)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            if (reset)
            {
                // Read the request first so the client is waiting for a response, then send RST (linger 0).
                var buffer = new byte[4096];
                try { await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token); } catch (Exception) { /* closing anyway */ }
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            else
            {
                lock (_held) _held.Add(socket);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
        lock (_held) _held.ForEach(s => s.Dispose());
        _stop.Dispose();
    }
}
