using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 that reads each request completely, counts it (the server-side truth the
/// load generator's figures are checked against), then misbehaves as told. Only GET without a body is understood;
/// anything else closes the connection and counts in <see cref="NotUnderstood"/>.
/// </summary>
internal sealed class MisbehavingServer : IAsyncDisposable
{
    private static readonly byte[] Ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"u8.ToArray();
    private static readonly byte[] Unavailable = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"u8.ToArray();
    private static readonly byte[] Partial = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nfirst bytes of a long body"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Misbehaviour _mode;
    private readonly Task _loop;
    private int _received;
    private int _notUnderstood;

    public MisbehavingServer(Misbehaviour mode)
    {
        _mode = mode;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The X-Load-Request ids of the requests read, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Ids { get; } = new();

    /// <summary>Complete requests read so far.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Connections that sent something that is not a body-less GET.</summary>
    public int NotUnderstood => Volatile.Read(ref _notUnderstood);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            lock (_connections) _connections.Add(ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[8192];
        var filled = 0;
        try
        {
            while (true)
            {
                var end = IndexOfHeaderEnd(buffer, filled);
                while (end < 0)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                    if (read == 0) return;
                    filled += read;
                    end = IndexOfHeaderEnd(buffer, filled);
                    if (end < 0 && filled == buffer.Length) return;
                }
                var head = Encoding.ASCII.GetString(buffer, 0, end);
                if (!head.StartsWith("GET ", StringComparison.Ordinal) || head.Contains("content-length:", StringComparison.OrdinalIgnoreCase))
                {
                    Interlocked.Increment(ref _notUnderstood);
                    return;
                }
                var number = Interlocked.Increment(ref _received);
                var idAt = head.IndexOf("X-Load-Request: ", StringComparison.Ordinal);
                Ids.Enqueue(idAt < 0 ? "?" : head[(idAt + 16)..].Split('\r')[0]);
                var close = head.Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase);
                Array.Copy(buffer, end + 4, buffer, 0, filled - end - 4);
                filled -= end + 4;
                switch (_mode)
                {
                    case Misbehaviour.CloseAfterRequest:
                    case Misbehaviour.CloseEveryOther when number % 2 == 1:
                        socket.Shutdown(SocketShutdown.Send);
                        return;
                    case Misbehaviour.ResetMidResponse:
                        await socket.SendAsync(Partial, SocketFlags.None, _stop.Token);
                        await Task.Delay(50, _stop.Token);
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                        return;
                    case Misbehaviour.Stall:
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    case Misbehaviour.ServiceUnavailable:
                        await socket.SendAsync(Unavailable, SocketFlags.None, _stop.Token);
                        break;
                    default:
                        await socket.SendAsync(Ok, SocketFlags.None, _stop.Token);
                        break;
                }
                if (close)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
    }

    private static int IndexOfHeaderEnd(byte[] buffer, int filled) => buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        Task[] connections;
        lock (_connections) connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
