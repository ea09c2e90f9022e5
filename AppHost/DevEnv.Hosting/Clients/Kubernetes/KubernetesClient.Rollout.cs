using System.Globalization;
using System.Text;
using DevEnv.Hosting.Model;
using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <content>Waiting for nodes and rollouts by watching them, and explaining a rollout that failed.</content>
public sealed partial class KubernetesClient
{
    private const int LogTailLines = 15;
    private const int MaxPodsDescribed = 3;

    /// <inheritdoc />
    public async Task<bool> WaitForNodesReadyAsync(TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var nodes = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        string? lastError = null;
        try
        {
            while (true)
            {
                try
                {
                    // List, then watch from the list's version: the list says when the initial state is complete.
                    var list = await CallAsync("list nodes", api => api.CoreV1.ListNodeAsync(cancellationToken: deadline.Token)).ConfigureAwait(false);
                    nodes.Clear();
                    foreach (var state in list.Items.Select(KubernetesStates.Node))
                    {
                        nodes[state.Name] = state.Ready;
                    }

                    if (AllReady(nodes))
                    {
                        return true;
                    }

                    await foreach (var (type, node) in WatchAsync<V1Node>(api => api.CoreV1.WatchListNodeAsync(resourceVersion: list.Metadata?.ResourceVersion,
                        timeoutSeconds: Seconds(timeout), cancellationToken: deadline.Token), deadline.Token).ConfigureAwait(false))
                    {
                        var state = KubernetesStates.Node(node);
                        if (type == WatchEventType.Deleted)
                        {
                            nodes.Remove(state.Name);
                        }
                        else
                        {
                            nodes[state.Name] = state.Ready;
                        }

                        if (AllReady(nodes))
                        {
                            return true;
                        }
                    }
                }
                catch (KubernetesApiException ex)
                {
                    // After the node containers start, the API server (a static pod) needs seconds to answer.
                    lastError = ex.Message;
                }

                await Task.Delay(RewatchDelay, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            log.Error("nodes not Ready within " + Seconds(timeout).ToString(CultureInfo.InvariantCulture) + " s: " + (nodes.Count > 0
                ? string.Join(", ", nodes.Select(n => $"{n.Key}: {(n.Value ? "Ready" : "NotReady")}"))
                : lastError ?? "no node registered"));
            return false;
        }
    }

    private static bool AllReady(SortedDictionary<string, bool> nodes) => nodes.Count > 0 && nodes.Values.All(r => r);

    /// <inheritdoc />
    public async Task WaitForRolloutAsync(string deployment, string podSelector, TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        DeploymentState? last = null;
        try
        {
            while (true)
            {
                await foreach (var (type, item) in WatchAsync<V1Deployment>(api => api.AppsV1.WatchListNamespacedDeploymentAsync(Namespace,
                    fieldSelector: $"metadata.name={deployment}", timeoutSeconds: Seconds(timeout), cancellationToken: deadline.Token), deadline.Token).ConfigureAwait(false))
                {
                    if (type is not (WatchEventType.Added or WatchEventType.Modified))
                    {
                        continue;
                    }

                    var state = KubernetesStates.Deployment(item);
                    if (state != last)
                    {
                        log.Info($"deployment/{deployment}: {state.Updated}/{state.Desired} updated, {state.Ready} ready, {state.Available} available");
                    }

                    last = state;
                    if (state.RolledOut)
                    {
                        return;
                    }

                    if (state.Stalled is not null)
                    {
                        throw await FailedAsync(deployment, podSelector, state, timeout, log, cancellationToken).ConfigureAwait(false);
                    }
                }

                await Task.Delay(RewatchDelay, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw await FailedAsync(deployment, podSelector, last, timeout, log, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RolloutFailedException> FailedAsync(string deployment, string podSelector, DeploymentState? state, TimeSpan timeout,
        ResourceLog log, CancellationToken cancellationToken)
    {
        var message = new StringBuilder(state?.Stalled is { } stalled
            ? $"Deployment '{deployment}' stopped rolling out: its controller gave up after progressDeadlineSeconds={state.ProgressDeadlineSeconds?.ToString(CultureInfo.InvariantCulture) ?? "?"} s without progress ({stalled})."
            : $"Deployment '{deployment}' did not finish rolling out within {Seconds(timeout).ToString(CultureInfo.InvariantCulture)} s" +
              (state is null ? " (it was never seen)." : $" ({state.Updated}/{state.Desired} updated, {state.Ready} ready)."));
        IReadOnlyList<PodState> failing = [];
        try
        {
            // No pod at all is explained by the ReplicaSet: quota, admission, a missing service account.
            var sets = await CallAsync("list replicasets", api => api.AppsV1.ListNamespacedReplicaSetAsync(Namespace, labelSelector: podSelector,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var set in sets.Items)
            {
                foreach (var condition in set.Status?.Conditions?.Where(c => c.Type == "ReplicaFailure" && c.Status == "True") ?? [])
                {
                    message.Append($"\nReplicaSet {set.Metadata.Name}: {condition.Reason}: {condition.Message}");
                }
            }

            var pods = await GetPodsAsync(podSelector, log, cancellationToken).ConfigureAwait(false);
            failing = [.. pods.Where(p => !p.Ready && !p.Terminating)];
            foreach (var pod in failing.Take(MaxPodsDescribed))
            {
                await DescribeAsync(pod, message, log, cancellationToken).ConfigureAwait(false);
            }

            if (failing.Count == 0 && !message.ToString().Contains("\nReplicaSet ", StringComparison.Ordinal))
            {
                message.Append("\nNo pod is failing and no ReplicaSet reports a failure; the rollout may just be slow (raise the timeout).");
            }
        }
        catch (KubernetesApiException ex)
        {
            // The cluster may be what is broken; say so rather than hiding the rollout's own failure.
            message.Append("\nCould not read the pods' state: ").Append(ex.Message);
        }

        return new RolloutFailedException(deployment, message.ToString(), failing);
    }

    private async Task DescribeAsync(PodState pod, StringBuilder message, ResourceLog log, CancellationToken cancellationToken)
    {
        message.Append($"\n\nPod {pod.Name}: phase {pod.Phase}, ready {pod.Ready}, restarts {pod.Restarts}");
        if (pod.StateReason is not null)
        {
            message.Append($", {pod.StateReason}");
            if (!string.IsNullOrEmpty(pod.StateMessage))
            {
                message.Append($" ({pod.StateMessage})");
            }
        }

        if (pod.LastTerminationReason is not null)
        {
            // An OOMKill reads as CrashLoopBackOff otherwise.
            message.Append($"; last ended: {pod.LastTerminationReason}, exit code {pod.LastExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        }

        var events = await GetEventsAsync(pod.Name, log, cancellationToken).ConfigureAwait(false);
        foreach (var e in events.Where(e => e.Type == "Warning").TakeLast(8))
        {
            message.Append("\n  event: ").Append(e);
        }

        // After a crash the useful lines are in the previous instance.
        var lines = await GetLogTailAsync(pod.Name, LogTailLines, previous: pod.Restarts > 0, log, cancellationToken).ConfigureAwait(false);
        if (lines.Count == 0 && pod.Restarts > 0)
        {
            lines = await GetLogTailAsync(pod.Name, LogTailLines, previous: false, log, cancellationToken).ConfigureAwait(false);
        }

        foreach (var line in lines)
        {
            message.Append("\n  log: ").Append(line);
        }
    }

    private static int Seconds(TimeSpan duration) => (int)Math.Ceiling(duration.TotalSeconds);
}
