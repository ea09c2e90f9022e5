using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// The server half of a WebSocket opening handshake (RFC 6455 §4.2) over a raw TCP stream: read the GET request's
/// head, answer 101 with the accept hash and the chosen subprotocol, or an error status. By hand because the channel
/// listens on a TcpListener (an exact address, port 0 allowed); <see cref="System.Net.WebSockets.WebSocket.CreateFromStream(Stream, bool, string?, TimeSpan)"/>
/// takes over after it.
/// </summary>
public sealed record WebSocketUpgrade(string Path, string? Key, string? SubProtocol, bool IsUpgrade)
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int MaxHeadBytes = 16 * 1024;

    /// <summary>Reads the request head (up to the blank line) from <paramref name="stream"/>; null when it is not HTTP.</summary>
    public static async Task<WebSocketUpgrade?> ReadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (head.Length > MaxHeadBytes || await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.Append((char)buffer[0]);
        }

        var lines = head.ToString().Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[0] != "GET")
        {
            return null;
        }

        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .Select(l => (Name: l[..l.IndexOf(':')].Trim(), Value: l[(l.IndexOf(':') + 1)..].Trim()))
            .GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var upgrade = headers.GetValueOrDefault("Upgrade")?.Equals("websocket", StringComparison.OrdinalIgnoreCase) == true;
        return new WebSocketUpgrade(requestLine[1], headers.GetValueOrDefault("Sec-WebSocket-Key"), headers.GetValueOrDefault("Sec-WebSocket-Protocol"), upgrade);
    }

    /// <summary>Answers 101 Switching Protocols, echoing <see cref="SubProtocol"/>.</summary>
    public Task AcceptAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(Key + AcceptGuid)));
        return WriteAsync(stream,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {accept}\r\n" + (SubProtocol is null ? "" : $"Sec-WebSocket-Protocol: {SubProtocol}\r\n") + "\r\n",
            cancellationToken);
    }

    /// <summary>Answers an error status and nothing else (the connection is closed after it).</summary>
    public static Task RefuseAsync(NetworkStream stream, int status, string reason, CancellationToken cancellationToken) =>
        WriteAsync(stream, $"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", cancellationToken);

    private static async Task WriteAsync(NetworkStream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
