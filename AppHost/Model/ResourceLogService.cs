using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace DevEnv.AppHost.Model;

/// <summary>
/// Per-resource logs with a bounded backlog. Writers call <see cref="Write"/>; readers call
/// <see cref="WatchAsync"/>, which replays the backlog and then streams new lines.
/// </summary>
public sealed class ResourceLogService(TimeProvider time, int backlogSize = 2000)
{
    private readonly ConcurrentDictionary<string, ResourceLogBuffer> _buffers = new(StringComparer.Ordinal);

    /// <summary>Creates the service on the system clock with the default backlog.</summary>
    public ResourceLogService() : this(TimeProvider.System) { }

    /// <summary>Appends one line (or several, split on newlines) to a resource's log.</summary>
    public void Write(string resource, string text, bool isError = false)
    {
        var buffer = Buffer(resource);
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            buffer.Append(line, isError, time.GetUtcNow());
        }
    }

    /// <summary>A writer bound to one resource, handy to pass to clients and process runs.</summary>
    public ResourceLog For(string resource) => new(this, resource);

    /// <summary>The lines currently held for a resource, oldest first.</summary>
    public IReadOnlyList<LogLine> GetBacklog(string resource) => Buffer(resource).Snapshot();

    /// <summary>Replays the backlog of a resource, then yields new lines until cancelled.</summary>
    public async IAsyncEnumerable<LogLine> WatchAsync(string resource, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = Buffer(resource);
        var (backlog, channel) = buffer.Subscribe();
        try
        {
            foreach (var line in backlog)
            {
                yield return line;
            }

            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return line;
            }
        }
        finally
        {
            buffer.Unsubscribe(channel);
        }
    }

    private ResourceLogBuffer Buffer(string resource) => _buffers.GetOrAdd(resource, r => new ResourceLogBuffer(r, backlogSize));

    private sealed class ResourceLogBuffer(string resource, int capacity)
    {
        private readonly object _gate = new();
        private readonly Queue<LogLine> _lines = new();
        private readonly List<Channel<LogLine>> _subscribers = [];
        private long _sequence;

        public void Append(string text, bool isError, DateTimeOffset now)
        {
            lock (_gate)
            {
                var line = new LogLine(resource, ++_sequence, now, text, isError);
                _lines.Enqueue(line);
                while (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }

                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryWrite(line);
                }
            }
        }

        public IReadOnlyList<LogLine> Snapshot()
        {
            lock (_gate)
            {
                return _lines.ToArray();
            }
        }

        public (IReadOnlyList<LogLine> Backlog, Channel<LogLine> Channel) Subscribe()
        {
            // Bounded so a slow reader cannot grow memory without limit; it loses the oldest lines instead.
            var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest });
            lock (_gate)
            {
                _subscribers.Add(channel);
                return (_lines.ToArray(), channel);
            }
        }

        public void Unsubscribe(Channel<LogLine> channel)
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
