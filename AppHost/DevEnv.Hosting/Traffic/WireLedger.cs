using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.Sockets;

namespace DevEnv.Hosting.Traffic;

/// <summary>
/// Makes every request go on the wire once. SocketsHttpHandler silently re-sends a request whose connection
/// closed before the first response byte (up to three more times, on new connections too), which turns a request
/// a killed pod dropped into a success. Each request carries an id header; the connections the handler opens
/// (<see cref="ConnectAsync"/>) are <see cref="WireStream"/>s that record what happened to it and fail a second
/// write of the same id before a byte of it leaves, so the server receives exactly what the report counts.
/// </summary>
public sealed class WireLedger
{
    /// <summary>The header carrying a request's id; the server sees it and may ignore it.</summary>
    public const string HeaderName = "X-Load-Request";

    private static readonly byte[] HeaderMarker = "\r\nX-Load-Request: "u8.ToArray();
    private readonly ConcurrentDictionary<long, RequestWire> _requests = new();
    private readonly TimeProvider _time;
    private long _connections;

    /// <summary>Creates a ledger timed by <paramref name="time"/>.</summary>
    public WireLedger(TimeProvider time) => _time = time;

    /// <summary>Connections opened so far.</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _connections);

    /// <summary>Starts tracking request <paramref name="id"/>; call <see cref="Complete"/> when it has finished.</summary>
    public RequestWire Begin(long id)
    {
        var wire = new RequestWire(id, _time.GetTimestamp());
        _requests[id] = wire;
        return wire;
    }

    /// <summary>Stops tracking a finished request.</summary>
    public void Complete(RequestWire wire) => _requests.TryRemove(wire.Id, out _);

    /// <summary>The SocketsHttpHandler ConnectCallback: a TCP connection (no Nagle) wrapped in a <see cref="WireStream"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        Interlocked.Increment(ref _connections);
        return new WireStream(new NetworkStream(socket, ownsSocket: true), this);
    }

    internal long Now => _time.GetTimestamp();

    /// <summary>The tracked request whose headers start in <paramref name="written"/>, or null (a body chunk, an untracked request).</summary>
    internal RequestWire? Find(ReadOnlySpan<byte> written)
    {
        var at = written.IndexOf(HeaderMarker);
        if (at < 0) return null;
        var rest = written[(at + HeaderMarker.Length)..];
        return Utf8Parser.TryParse(rest, out long id, out _) && _requests.TryGetValue(id, out var wire) ? wire : null;
    }
}
