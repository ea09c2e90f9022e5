using System.Diagnostics;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// A write-only stream onto a file that reports how much has come, at most every <see cref="Interval"/>: a dump of a
/// few GB streams to disk with a line now and then in the pod's log instead of silence.
/// </summary>
internal sealed class ProgressStream(Stream inner, Action<long> onProgress) : Stream
{
    /// <summary>How often progress is reported.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;

    /// <summary>The bytes written so far.</summary>
    public long Written { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Written += buffer.Length;
        if (_clock.Elapsed - _last >= Interval)
        {
            _last = _clock.Elapsed;
            onProgress(Written);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
