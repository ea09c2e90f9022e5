using System.Collections.Concurrent;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>One pod: a SampleApi container, its published 127.0.0.1 ports and what happened to it.</summary>
public sealed class Replica(string name, string containerId, HarnessOptions spec, int hostPort, IReadOnlyDictionary<int, int> hostPorts, int generation, TimeSpan started)
{
    private readonly ConcurrentQueue<string> _livenessFailures = new();
    private readonly ConcurrentQueue<TimeSpan> _livenessTimes = new();
    private int _livenessPasses;

    /// <summary>Container name (also the pod name in reports).</summary>
    public string Name { get; } = name;

    /// <summary>Docker container id.</summary>
    public string ContainerId { get; } = containerId;

    /// <summary>The pod template it was started from (the rendered Deployment, with the test's overrides).</summary>
    public HarnessOptions Spec { get; } = spec;

    /// <summary>Published port on 127.0.0.1 of the Service's target port.</summary>
    public int HostPort { get; } = hostPort;

    /// <summary>Published 127.0.0.1 port of each container port (the probes' way in, the kubelet's, never the Service's).</summary>
    public IReadOnlyDictionary<int, int> HostPorts { get; } = hostPorts;

    /// <summary>Which rollout created it: 0 for the initial replicas, 1 for the first rolling update, ...</summary>
    public int Generation { get; } = generation;

    /// <summary>When <c>docker run</c> returned (the container was started), on the harness clock.</summary>
    public TimeSpan Started { get; } = started;

    /// <summary>When the readiness probe first succeeded, on the harness clock; null until then.</summary>
    public TimeSpan? Ready { get; internal set; }

    /// <summary>From container start to first successful readiness probe.</summary>
    public TimeSpan? TimeToReady => Ready - Started;

    /// <summary>True once termination began.</summary>
    public bool Terminating { get; internal set; }

    /// <summary>How the termination ended; null while running.</summary>
    public TerminationRecord? Termination { get; internal set; }

    /// <summary>Liveness probes that passed (HTTP 200-399 or exit 0 within the timeout) in the running container.</summary>
    public int LivenessPasses => Volatile.Read(ref _livenessPasses);

    /// <summary>Liveness probes that failed, with the status, or the exit code and output.</summary>
    public IReadOnlyList<string> LivenessFailures => _livenessFailures.ToArray();

    /// <summary>Set when the liveness probe failed failureThreshold times in a row: the kubelet killed the container to restart it.</summary>
    public string? KilledByLiveness { get; internal set; }

    /// <summary>The longest a liveness probe took (passed or failed): how close the probe came to its timeout.</summary>
    public TimeSpan LivenessSlowest { get; private set; }

    /// <summary>How long each liveness probe took, in order.</summary>
    public IReadOnlyList<TimeSpan> LivenessTimes => _livenessTimes.ToArray();

    internal void LivenessPassed() => Interlocked.Increment(ref _livenessPasses);

    internal void LivenessTook(TimeSpan elapsed)
    {
        _livenessTimes.Enqueue(elapsed);
        if (elapsed > LivenessSlowest) LivenessSlowest = elapsed;
    }

    internal void LivenessFailed(string why) => _livenessFailures.Enqueue(why);
}
