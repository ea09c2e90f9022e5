namespace DevEnv.Rollout.Tests.Harness;

/// <summary>One pod: a SampleApi container, its published 127.0.0.1 port and what happened to it.</summary>
public sealed class Replica(string name, string containerId, int hostPort, int managementHostPort, int generation, TimeSpan started)
{
    /// <summary>Container name (also the pod name in reports).</summary>
    public string Name { get; } = name;

    /// <summary>Docker container id.</summary>
    public string ContainerId { get; } = containerId;

    /// <summary>Published port on 127.0.0.1.</summary>
    public int HostPort { get; } = hostPort;

    /// <summary>Published management port (the probes) on 127.0.0.1: the kubelet's way in, never the Service's.</summary>
    public int ManagementHostPort { get; } = managementHostPort;

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
}
