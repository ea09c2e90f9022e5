namespace DevEnv.Diagnostics.Agent;

/// <summary>
/// A read-only stream over <paramref name="source"/> that writes every byte read to <paramref name="copy"/> before it
/// hands it on: TraceEvent parses a session's stream while the same bytes go out as the .nettrace file.
/// </summary>
internal sealed class CopyingStream(Stream source, Stream copy) : Stream
{
    private long _written;

    /// <summary>Bytes copied so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = source.Read(buffer);
        if (read > 0)
        {
            copy.Write(buffer[..read]);
            Interlocked.Add(ref _written, read);
        }

        return read;
    }

    public override void Flush() => copy.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
