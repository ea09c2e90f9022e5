using System.Collections.Immutable;
using k8s.Models;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>Typed API objects → the records the resources publish. Pure, unit-tested.</summary>
public static class KubernetesStates
{
    /// <summary>The annotation the Deployment controller puts on each ReplicaSet: its rollout revision.</summary>
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>A node and whether its Ready condition is True.</summary>
    public static NodeState Node(V1Node node) => new(
        node.Metadata?.Name ?? "",
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
        node.Status?.NodeInfo?.KubeletVersion);

    /// <summary>A Deployment's counts, rolled-out test (the one <c>kubectl rollout status</c> makes) and stall.</summary>
    public static DeploymentState Deployment(V1Deployment deployment)
    {
        var status = deployment.Status;
        var desired = deployment.Spec?.Replicas ?? 1;
        var updated = status?.UpdatedReplicas ?? 0;
        var available = status?.AvailableReplicas ?? 0;
        var total = status?.Replicas ?? 0;
        var observed = status?.ObservedGeneration ?? 0;
        var generation = deployment.Metadata?.Generation ?? 0;
        var rolledOut = observed >= generation && updated == desired && total == updated && available == updated;
        var stalled = status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing" && c.Reason == "ProgressDeadlineExceeded");
        return new DeploymentState(desired, status?.ReadyReplicas ?? 0, updated, available, rolledOut,
            stalled is null ? null : stalled.Message ?? "ProgressDeadlineExceeded",
            deployment.Spec?.ProgressDeadlineSeconds,
            deployment.Metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var revision) == true ? revision : null);
    }

    /// <summary>One event; its time is lastTimestamp, else eventTime, else its creation.</summary>
    public static KubeEvent Event(Corev1Event e) => new(
        e.InvolvedObject?.Name ?? "",
        e.Type ?? "",
        e.Reason ?? "",
        e.Message?.Trim() ?? "",
        e.Count ?? 1,
        Time(e.LastTimestamp ?? e.EventTime ?? e.Metadata?.CreationTimestamp),
        e.InvolvedObject?.Kind ?? "");

    /// <summary>
    /// One pod, from its first container's status; <paramref name="events"/> add its probe failures (newest last)
    /// and <paramref name="revisions"/> (ReplicaSet name → revision) its rollout revision.
    /// </summary>
    public static PodState Pod(V1Pod pod, IEnumerable<KubeEvent>? events = null, IReadOnlyDictionary<string, string>? revisions = null)
    {
        var name = pod.Metadata?.Name ?? "";
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault();
        var waiting = container?.State?.Waiting;
        var terminated = container?.State?.Terminated;
        var last = container?.LastState?.Terminated;
        var replicaSet = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet")?.Name;
        return new PodState
        {
            Name = name,
            ReplicaSet = replicaSet,
            PodTemplateHash = pod.Metadata?.Labels?.TryGetValue("pod-template-hash", out var hash) == true ? hash : null,
            Phase = pod.Status?.Phase ?? "Unknown",
            Ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            Restarts = pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0,
            Image = container?.Image ?? pod.Spec?.Containers?.FirstOrDefault()?.Image,
            ImageId = string.IsNullOrEmpty(container?.ImageID) ? null : container.ImageID,
            StateReason = waiting?.Reason ?? terminated?.Reason,
            StateMessage = (waiting?.Message ?? terminated?.Message)?.Trim(),
            LastTerminationReason = last?.Reason,
            LastExitCode = last?.ExitCode,
            Revision = replicaSet is not null && revisions?.TryGetValue(replicaSet, out var revision) == true ? revision : null,
            Node = pod.Spec?.NodeName,
            Terminating = pod.Metadata?.DeletionTimestamp is not null,
            ProbeFailures = events is null
                ? []
                : events.Where(e => e.ObjectName == name && e.IsProbeFailure).OrderBy(e => e.LastSeen).Select(e => e.ToString()).TakeLast(5).ToImmutableArray(),
        };
    }

    /// <summary>Events oldest first by time (the API lists them by name), undated ones first.</summary>
    public static IReadOnlyList<KubeEvent> ByTime(IEnumerable<KubeEvent> events) => [.. events.OrderBy(e => e.LastSeen ?? DateTimeOffset.MinValue)];

    private static DateTimeOffset? Time(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
