using k8s.Models;

namespace DevEnv.Hosting.Resources.PortForward;

/// <summary>
/// The pods of one selector as the watch reports them, and the one new connections go to: the current pod while it is
/// ready and not terminating, else the newest ready one. A pod marked for deletion is left at once (it is draining:
/// its open connections finish, new ones go elsewhere). Thread-safe.
/// </summary>
internal sealed class ReadyPods
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private TaskCompletionSource<string> _ready = NewSignal();
    private string? _current;

    /// <summary>The pod new connections go to; null while none is ready.</summary>
    public string? Current { get { lock (_gate) { return _current; } } }

    /// <summary>Replaces every pod (after a list).</summary>
    public (string? From, string? To)? Reset(IEnumerable<V1Pod> pods)
    {
        lock (_gate)
        {
            _pods.Clear();
            foreach (var pod in pods)
            {
                _pods[pod.Metadata.Name] = pod;
            }

            return Choose();
        }
    }

    /// <summary>One pod added, changed or deleted; the change of target, if any.</summary>
    public (string? From, string? To)? Apply(V1Pod pod, bool deleted)
    {
        lock (_gate)
        {
            if (deleted)
            {
                _pods.Remove(pod.Metadata.Name);
            }
            else
            {
                _pods[pod.Metadata.Name] = pod;
            }

            return Choose();
        }
    }

    /// <summary>Forgets a pod that refused a connection until the watch says otherwise.</summary>
    public (string? From, string? To)? Refused(string pod)
    {
        lock (_gate)
        {
            _pods.Remove(pod);
            return Choose();
        }
    }

    /// <summary>The current pod, waiting for one to become ready.</summary>
    public Task<string> NextAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _current is { } pod ? Task.FromResult(pod) : _ready.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Ready: the Ready condition is True and the pod is not being deleted.</summary>
    public static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null
        && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private (string? From, string? To)? Choose()
    {
        var previous = _current;
        if (previous is null || !_pods.TryGetValue(previous, out var pod) || !IsReady(pod))
        {
            _current = _pods.Values.Where(IsReady).OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)
                .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).Select(p => p.Metadata.Name).FirstOrDefault();
        }

        if (_current == previous)
        {
            return null;
        }

        if (_current is { } now)
        {
            _ready.TrySetResult(now);
        }
        else
        {
            _ready = NewSignal();
        }

        return (previous, _current);
    }

    private static TaskCompletionSource<string> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
