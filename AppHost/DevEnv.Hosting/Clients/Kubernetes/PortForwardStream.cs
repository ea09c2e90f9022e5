using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// One TCP connection into a pod as a <see cref="Stream"/>, over the API server's pods/portforward WebSocket (v4 channel
/// protocol: every message starts with its channel, 0 data and 1 errors, and each channel's first two bytes name the
/// port). Written by hand rather than with KubernetesClient's StreamDemuxer because its streams read synchronously (a
/// blocked thread per open connection) and it drops the error channel unless a stream is opened on it; here reads are
/// asynchronous and the kubelet's error (connection refused inside the pod) surfaces as an <see cref="IOException"/>.
/// </summary>
public sealed class PortForwardStream(WebSocket socket, string target) : Stream
{
    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;
    private readonly byte[] _receive = new byte[64 * 1024];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly int[] _portBytesLeft = [2, 2];
    private readonly StringBuilder _error = new();
    private ReadOnlyMemory<byte> _pending;
    private int _channel = -1;
    private bool _ended;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_pending.IsEmpty)
        {
            if (_ended)
            {
                return 0;
            }

            await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        }

        var n = Math.Min(buffer.Length, _pending.Length);
        _pending[..n].CopyTo(buffer);
        _pending = _pending[n..];
        return n;
    }

    // One WebSocket frame: data goes to _pending, errors are collected, the close ends the stream (or fails it with the error).
    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        WebSocketReceiveResult result;
        try
        {
            result = await socket.ReceiveAsync(_receive, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            throw new IOException($"the port-forward to {target} broke: {ex.Message}", ex);
        }

        if (result.MessageType == WebSocketMessageType.Close)
        {
            _ended = true;
            if (_error.Length > 0)
            {
                throw new IOException($"the port-forward to {target} failed: {_error.ToString().Trim()}");
            }

            return;
        }

        var payload = _receive.AsMemory(0, result.Count);
        if (_channel < 0 && payload.Length > 0)
        {
            _channel = payload.Span[0];
            payload = payload[1..];
        }

        if (_channel is DataChannel or ErrorChannel)
        {
            var skip = Math.Min(_portBytesLeft[_channel], payload.Length);
            _portBytesLeft[_channel] -= skip;
            payload = payload[skip..];
            if (_channel == DataChannel)
            {
                _pending = payload;
            }
            else
            {
                _error.Append(Encoding.UTF8.GetString(payload.Span));
            }
        }

        if (result.EndOfMessage)
        {
            _channel = -1;
        }
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var message = ArrayPool<byte>.Shared.Rent(buffer.Length + 1);
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            message[0] = DataChannel;
            buffer.CopyTo(message.AsMemory(1));
            await socket.SendAsync(message.AsMemory(0, buffer.Length + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            throw new IOException($"the port-forward to {target} broke: {ex.Message}", ex);
        }
        finally
        {
            _sending.Release();
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Flush()
    {
        // Every write is sent as one message at once.
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            // Closing the WebSocket closes the connection in the pod; bounded, so a silent API server cannot hold us.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // Already gone: nothing to close.
            }
        }

        socket.Dispose();
        _sending.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            socket.Dispose();
        }

        base.Dispose(disposing);
    }
}
