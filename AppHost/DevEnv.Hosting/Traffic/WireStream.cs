namespace DevEnv.Hosting.Traffic;

/// <summary>
/// One HTTP/1.1 connection of the load generator. HTTP/1.1 has one request at a time on a connection (the handler
/// does not pipeline), so the request whose headers were written last owns what the connection does next: the
/// first response byte, or an end (0-byte read, reset, failed write) before it.
/// </summary>
internal sealed class WireStream(Stream inner, WireLedger ledger) : Stream
{
    private RequestWire? _current;
    private volatile bool _ended;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Received(inner.Read(buffer), buffer.Length);
        }
        catch (IOException)
        {
            Ended();
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Received(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);
        }
        catch (IOException)
        {
            Ended();
            throw;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var claimed = Claim(buffer);
        try
        {
            inner.Write(buffer);
            claimed?.MarkWritten(ledger.Now);
        }
        catch (IOException)
        {
            Ended();
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var claimed = Claim(buffer.Span);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            claimed?.MarkWritten(ledger.Now);
        }
        catch (IOException)
        {
            Ended();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A write that starts a tracked request makes it this connection's; a second send of it fails here, before any byte leaves.</summary>
    private RequestWire? Claim(ReadOnlySpan<byte> buffer)
    {
        if (ledger.Find(buffer) is not { } wire) return null;
        if (!wire.TryBeginSend())
        {
            throw new ResendBlockedException(wire.Id);
        }
        _current = wire;
        // The handler's look-ahead read on a pooled connection may already have met the end before this request
        // was written: the request will get nothing here.
        if (_ended) wire.MarkEnded();
        return wire;
    }

    private void Ended()
    {
        _ended = true;
        _current?.MarkEnded();
    }

    private int Received(int read, int requested)
    {
        // A zero-byte read (the handler's idle-connection probe) returns 0 without meaning end of stream.
        if (requested == 0) return read;
        if (read > 0) _current?.MarkResponseStarted();
        else Ended();
        return read;
    }
}
