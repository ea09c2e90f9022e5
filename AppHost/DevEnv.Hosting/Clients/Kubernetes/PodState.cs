using System.Collections.Immutable;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>What the dashboard shows of one pod (its first container).</summary>
public sealed record PodState
{
    /// <summary>Pod name.</summary>
    public required string Name { get; init; }

    /// <summary>The ReplicaSet that owns it (one per rollout generation).</summary>
    public string? ReplicaSet { get; init; }

    /// <summary>The pod-template-hash label, the same for all pods of one template.</summary>
    public string? PodTemplateHash { get; init; }

    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    public required string Phase { get; init; }

    /// <summary>Whether the Ready condition is True (receiving traffic).</summary>
    public bool Ready { get; init; }

    /// <summary>Container restarts, summed over containers.</summary>
    public int Restarts { get; init; }

    /// <summary>The image the spec asks for.</summary>
    public string? Image { get; init; }

    /// <summary>The image the runtime actually runs, with its digest (status.containerStatuses[].imageID).</summary>
    public string? ImageId { get; init; }

    /// <summary>The sha256 digest part of <see cref="ImageId"/>.</summary>
    public string? Digest => ImageId is { } id && id.IndexOf("@", StringComparison.Ordinal) is var at and >= 0 ? id[(at + 1)..] : null;

    /// <summary>Why a container is not running (waiting/terminated reason, e.g. ImagePullBackOff, CrashLoopBackOff).</summary>
    public string? StateReason { get; init; }

    /// <summary>The message that goes with <see cref="StateReason"/>.</summary>
    public string? StateMessage { get; init; }

    /// <summary>Why the last container instance ended (e.g. OOMKilled, Error), when it restarted.</summary>
    public string? LastTerminationReason { get; init; }

    /// <summary>The exit code of the last container instance that ended, when it restarted.</summary>
    public int? LastExitCode { get; init; }

    /// <summary>The rollout revision of the pod's ReplicaSet (deployment.kubernetes.io/revision), when known.</summary>
    public string? Revision { get; init; }

    /// <summary>Node the pod runs on.</summary>
    public string? Node { get; init; }

    /// <summary>Whether the pod is being deleted (terminating).</summary>
    public bool Terminating { get; init; }

    /// <summary>Recent probe failures (Unhealthy events), newest last.</summary>
    public ImmutableArray<string> ProbeFailures { get; init; } = [];

    /// <summary>The newest probe failure, if any.</summary>
    public string? LastProbeFailure => ProbeFailures.IsDefaultOrEmpty ? null : ProbeFailures[^1];
}
