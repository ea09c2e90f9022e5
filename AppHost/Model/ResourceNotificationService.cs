using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace DevEnv.AppHost.Model;

/// <summary>
/// The one place resource state changes are published. Readers (console, dashboard, orchestrator)
/// call <see cref="WatchAsync"/>: it first replays the latest snapshot of every resource, then streams changes.
/// </summary>
public sealed class ResourceNotificationService(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ResourceSnapshot> _latest = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly ConcurrentDictionary<Channel<ResourceSnapshot>, bool> _watchers = new();

    /// <summary>Creates the service on the system clock.</summary>
    public ResourceNotificationService() : this(TimeProvider.System) { }

    /// <summary>Registers a resource with its first snapshot. Registering a name twice replaces nothing and throws.</summary>
    public void Register(ResourceSnapshot initial)
    {
        lock (_gate)
        {
            if (_latest.ContainsKey(initial.Name))
            {
                throw new InvalidOperationException($"A resource named '{initial.Name}' is already registered.");
            }

            var first = initial with { Version = 1, StateChangedAt = time.GetUtcNow() };
            _latest[initial.Name] = first;
            _order.Add(initial.Name);
            Broadcast(first);
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the latest snapshot of <paramref name="name"/> and publishes the result.
    /// Keeps <see cref="ResourceSnapshot.StateChangedAt"/> and <see cref="ResourceSnapshot.RunningSince"/> right.
    /// </summary>
    public ResourceSnapshot Publish(string name, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        lock (_gate)
        {
            if (!_latest.TryGetValue(name, out var previous))
            {
                throw new InvalidOperationException($"No resource named '{name}' is registered.");
            }

            var next = change(previous) with { Name = previous.Name, Version = previous.Version + 1 };
            if (next.State != previous.State)
            {
                var now = time.GetUtcNow();
                next = next with
                {
                    StateChangedAt = now,
                    RunningSince = next.State == ResourceStates.Running
                        ? (previous.State == ResourceStates.Running ? previous.RunningSince : now)
                        : ResourceStates.IsUsable(next.State) ? previous.RunningSince : null,
                };
            }

            _latest[name] = next;
            Broadcast(next);
            return next;
        }
    }

    /// <summary>Sets the state and reason of a resource.</summary>
    public ResourceSnapshot SetState(string name, string state, string? reason = null) =>
        Publish(name, s => s with { State = state, Reason = reason });

    /// <summary>The latest snapshot of one resource.</summary>
    public ResourceSnapshot Get(string name)
    {
        lock (_gate)
        {
            return _latest.TryGetValue(name, out var s)
                ? s
                : throw new InvalidOperationException($"No resource named '{name}' is registered.");
        }
    }

    /// <summary>The latest snapshot of every resource, in registration order.</summary>
    public IReadOnlyList<ResourceSnapshot> GetAll()
    {
        lock (_gate)
        {
            return _order.Select(n => _latest[n]).ToArray();
        }
    }

    /// <summary>Replays the latest snapshots, then yields every change until cancelled.</summary>
    public async IAsyncEnumerable<ResourceSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ResourceSnapshot>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var name in _order)
            {
                channel.Writer.TryWrite(_latest[name]);
            }

            _watchers[channel] = true;
        }

        try
        {
            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return snapshot;
            }
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }

    /// <summary>Waits until <paramref name="predicate"/> holds for the named resource.</summary>
    public async Task<ResourceSnapshot> WaitForAsync(string name, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken)
    {
        await foreach (var snapshot in WatchAsync(cancellationToken))
        {
            if (snapshot.Name == name && predicate(snapshot))
            {
                return snapshot;
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    private void Broadcast(ResourceSnapshot snapshot)
    {
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Writer.TryWrite(snapshot);
        }
    }
}
