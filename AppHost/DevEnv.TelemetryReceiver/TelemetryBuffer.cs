using DevEnv.TelemetryReceiver.Protocol;

namespace DevEnv.TelemetryReceiver;

/// <summary>
/// The requests the pods sent, in arrival order, bounded by their bodies' total size. When a new request would pass
/// the bound, the oldest go (what a developer looks at after a break is what happened last) and are counted. A read
/// hands out what came after the sequence number it names and releases everything up to it: the reader names the last
/// entry it delivered, so an entry it fetched but could not deliver (the AppHost stopped, the port-forward broke) is
/// fetched again. Thread-safe.
/// </summary>
internal sealed class TelemetryBuffer(long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<BatchEntry> _entries = new();
    private TaskCompletionSource _arrived = NewSignal();
    private long _next = 1;
    private long _bytes;
    private long _accepted;
    private long _dropped;
    private long _droppedBytes;
    private long _refused;

    /// <summary>Names this receiver process, so a reader's sequence numbers from a previous one release nothing here.</summary>
    public string Instance { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>Keeps a request; false when it alone is larger than the bound (it is counted as dropped).</summary>
    public bool Add(TelemetrySignal signal, string contentType, string contentEncoding, byte[] body)
    {
        TaskCompletionSource arrived;
        lock (_gate)
        {
            if (body.Length > capacityBytes)
            {
                _dropped++;
                _droppedBytes += body.Length;
                return false;
            }

            while (_bytes + body.Length > capacityBytes && _entries.First is { } oldest)
            {
                _entries.RemoveFirst();
                _bytes -= oldest.Value.Body.Length;
                _dropped++;
                _droppedBytes += oldest.Value.Body.Length;
            }

            _entries.AddLast(new BatchEntry(_next++, signal, contentType, contentEncoding, body));
            _bytes += body.Length;
            _accepted++;
            arrived = _arrived;
            _arrived = NewSignal();
        }

        arrived.TrySetResult();
        return true;
    }

    /// <summary>Counts a request refused for its token.</summary>
    public void CountRefused() => Interlocked.Increment(ref _refused);

    /// <summary>
    /// Releases the entries up to <paramref name="after"/>, then returns those after it (at least one, at most
    /// <paramref name="maxBytes"/> of bodies beyond the first), waiting up to <paramref name="wait"/> for one to arrive;
    /// empty when none came.
    /// </summary>
    public async Task<IReadOnlyList<BatchEntry>> ReadAsync(long after, long maxBytes, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                while (_entries.First is { } first && first.Value.Sequence <= after)
                {
                    _entries.RemoveFirst();
                    _bytes -= first.Value.Body.Length;
                }

                if (_entries.Count > 0)
                {
                    var batch = new List<BatchEntry>();
                    long size = 0;
                    foreach (var entry in _entries)
                    {
                        if (batch.Count > 0 && size + entry.Body.Length > maxBytes)
                        {
                            break;
                        }

                        batch.Add(entry);
                        size += entry.Body.Length;
                    }

                    return batch;
                }

                arrived = _arrived.Task;
            }

            try
            {
                await arrived.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return [];
            }
        }
    }

    /// <summary>The counters now.</summary>
    public BufferStats Stats()
    {
        lock (_gate)
        {
            return new BufferStats(_entries.Count, _bytes, _accepted, _dropped, _droppedBytes, Interlocked.Read(ref _refused), capacityBytes);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
