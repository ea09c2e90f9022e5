using System.Collections.Immutable;
using System.Text.Json;

namespace DevEnv.AppHost.Clients.Kubectl;

/// <summary>Reads the JSON kubectl prints (<c>-o json</c>) into our typed records. Pure, unit-tested.</summary>
public static class KubectlJson
{
    /// <summary>Parses <c>kubectl get nodes -o json</c>.</summary>
    public static IReadOnlyList<NodeState> ParseNodes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Items(document.RootElement).Select(node => new NodeState(
            Str(node, "metadata", "name") ?? "",
            HasTrueCondition(node, "Ready"),
            Str(node, "status", "nodeInfo", "kubeletVersion"))).ToArray();
    }

    /// <summary>Parses <c>kubectl get deployment X -o json</c>.</summary>
    public static DeploymentState ParseDeployment(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var desired = Int(root, "spec", "replicas") ?? 1;
        var updated = Int(root, "status", "updatedReplicas") ?? 0;
        var available = Int(root, "status", "availableReplicas") ?? 0;
        var total = Int(root, "status", "replicas") ?? 0;
        var observed = Int(root, "status", "observedGeneration") ?? 0;
        var generation = Int(root, "metadata", "generation") ?? 0;
        // The same test `kubectl rollout status` makes.
        var rolledOut = observed >= generation && updated == desired && total == updated && available == updated;
        return new DeploymentState(desired, Int(root, "status", "readyReplicas") ?? 0, updated, available, rolledOut);
    }

    /// <summary>Parses <c>kubectl get events -o json</c>, oldest first as kubectl returns them.</summary>
    public static IReadOnlyList<KubeEvent> ParseEvents(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Items(document.RootElement).Select(e => new KubeEvent(
            Str(e, "involvedObject", "name") ?? "",
            Str(e, "type") ?? "",
            Str(e, "reason") ?? "",
            Str(e, "message")?.Trim() ?? "",
            Int(e, "count") ?? 1)).ToArray();
    }

    /// <summary>
    /// Parses <c>kubectl get pods -o json</c>; <paramref name="events"/> (from <see cref="ParseEvents"/>) adds each
    /// pod's probe failures.
    /// </summary>
    public static IReadOnlyList<PodState> ParsePods(string json, IReadOnlyList<KubeEvent>? events = null)
    {
        using var document = JsonDocument.Parse(json);
        var pods = new List<PodState>();
        foreach (var pod in Items(document.RootElement))
        {
            var name = Str(pod, "metadata", "name") ?? "";
            JsonElement? container = Get(pod, "status", "containerStatuses") is { ValueKind: JsonValueKind.Array } statuses && statuses.GetArrayLength() > 0
                ? statuses[0]
                : null;
            var restarts = Get(pod, "status", "containerStatuses") is { ValueKind: JsonValueKind.Array } all
                ? all.EnumerateArray().Sum(c => Int(c, "restartCount") ?? 0)
                : 0;
            var waiting = container is { } c1 ? Get(c1, "state", "waiting") : null;
            var terminated = container is { } c2 ? Get(c2, "state", "terminated") : null;
            var stateSource = waiting ?? terminated;
            pods.Add(new PodState
            {
                Name = name,
                ReplicaSet = OwnerReplicaSet(pod),
                PodTemplateHash = Str(pod, "metadata", "labels", "pod-template-hash"),
                Phase = Str(pod, "status", "phase") ?? "Unknown",
                Ready = HasTrueCondition(pod, "Ready"),
                Restarts = restarts,
                Image = container is { } c3 ? Str(c3, "image") : FirstSpecImage(pod),
                ImageId = container is { } c4 ? NullIfEmpty(Str(c4, "imageID")) : null,
                StateReason = stateSource is { } s1 ? Str(s1, "reason") : null,
                StateMessage = stateSource is { } s2 ? Str(s2, "message")?.Trim() : null,
                LastTerminationReason = container is { } c5 ? Str(c5, "lastState", "terminated", "reason") : null,
                Node = Str(pod, "spec", "nodeName"),
                Terminating = Get(pod, "metadata", "deletionTimestamp") is { ValueKind: JsonValueKind.String },
                ProbeFailures = events is null
                    ? []
                    : events.Where(e => e.ObjectName == name && e.IsProbeFailure).Select(e => e.ToString()).TakeLast(5).ToImmutableArray(),
            });
        }

        return pods;
    }

    private static string? OwnerReplicaSet(JsonElement pod) =>
        Get(pod, "metadata", "ownerReferences") is { ValueKind: JsonValueKind.Array } owners
            ? owners.EnumerateArray().Where(o => Str(o, "kind") == "ReplicaSet").Select(o => Str(o, "name")).FirstOrDefault()
            : null;

    private static string? FirstSpecImage(JsonElement pod) =>
        Get(pod, "spec", "containers") is { ValueKind: JsonValueKind.Array } containers && containers.GetArrayLength() > 0
            ? Str(containers[0], "image")
            : null;

    private static bool HasTrueCondition(JsonElement element, string type) =>
        Get(element, "status", "conditions") is { ValueKind: JsonValueKind.Array } conditions
        && conditions.EnumerateArray().Any(c => Str(c, "type") == type && Str(c, "status") == "True");

    private static IEnumerable<JsonElement> Items(JsonElement root) =>
        root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().ToArray()
            : [];

    private static JsonElement? Get(JsonElement element, params string[] path)
    {
        foreach (var part in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        return element;
    }

    private static string? Str(JsonElement element, params string[] path) =>
        Get(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static int? Int(JsonElement element, params string[] path) =>
        Get(element, path) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
