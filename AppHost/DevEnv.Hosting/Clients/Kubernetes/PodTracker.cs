using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// The pods, ReplicaSets and events of one selector as three watches report them, folded into pod states.
/// Thread-safe: the three watches feed it concurrently.
/// </summary>
public sealed class PodTracker
{
    private const int EventsKept = 200;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _revisions = new(StringComparer.Ordinal);
    private readonly List<KubeEvent> _events = [];

    /// <summary>A pod was added, changed or deleted.</summary>
    public void Apply(WatchEventType type, V1Pod pod)
    {
        lock (_gate)
        {
            var name = pod.Metadata?.Name ?? "";
            if (type == WatchEventType.Deleted)
            {
                _pods.Remove(name);
            }
            else if (type is WatchEventType.Added or WatchEventType.Modified)
            {
                _pods[name] = pod;
            }
        }
    }

    /// <summary>A ReplicaSet was added, changed or deleted: its revision names the pods' rollout.</summary>
    public void Apply(WatchEventType type, V1ReplicaSet replicaSet)
    {
        lock (_gate)
        {
            var name = replicaSet.Metadata?.Name ?? "";
            if (type == WatchEventType.Deleted)
            {
                _revisions.Remove(name);
            }
            else if (replicaSet.Metadata?.Annotations?.TryGetValue(KubernetesStates.RevisionAnnotation, out var revision) == true)
            {
                _revisions[name] = revision;
            }
        }
    }

    /// <summary>An event was recorded (probe failures are kept per pod).</summary>
    public void Apply(WatchEventType type, Corev1Event e)
    {
        if (type is not (WatchEventType.Added or WatchEventType.Modified))
        {
            return;
        }

        lock (_gate)
        {
            _events.Add(KubernetesStates.Event(e));
            if (_events.Count > EventsKept)
            {
                _events.RemoveRange(0, _events.Count - EventsKept);
            }
        }
    }

    /// <summary>Forgets the pods (a watch starts again and re-sends every pod as added).</summary>
    public void ResetPods()
    {
        lock (_gate)
        {
            _pods.Clear();
        }
    }

    /// <summary>Every known pod's state, by name.</summary>
    public IReadOnlyList<PodState> Snapshot()
    {
        lock (_gate)
        {
            return [.. _pods.Values.Select(p => KubernetesStates.Pod(p, _events, _revisions))];
        }
    }
}
