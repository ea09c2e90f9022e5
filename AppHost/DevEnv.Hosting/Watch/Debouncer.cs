namespace DevEnv.Hosting.Watch;

/// <summary>
/// Turns a burst of signals (an editor saving several files, a formatter touching a folder) into one call of
/// <c>onQuiet</c>, made once no signal has arrived for <c>quietPeriod</c>. Runs on <see cref="TimeProvider"/>
/// timers, so tests advance a fake clock instead of waiting.
/// </summary>
public sealed class Debouncer : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeSpan _quietPeriod;
    private readonly Action<IReadOnlyList<string>> _onQuiet;
    private readonly ITimer _timer;
    private readonly SortedSet<string> _pending = new(StringComparer.Ordinal);

    /// <summary>Creates a debouncer that calls <paramref name="onQuiet"/> with the distinct items signalled in the burst.</summary>
    public Debouncer(TimeSpan quietPeriod, TimeProvider time, Action<IReadOnlyList<string>> onQuiet)
    {
        _quietPeriod = quietPeriod;
        _onQuiet = onQuiet;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Records one signal and pushes the deadline back by the quiet period.</summary>
    public void Signal(string item)
    {
        lock (_gate)
        {
            _pending.Add(item);
            _timer.Change(_quietPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void Fire()
    {
        string[] items;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            items = [.. _pending];
            _pending.Clear();
        }

        _onQuiet(items);
    }
}
