using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <content>Watches: the API server streams changes; nothing here polls.</content>
public sealed partial class KubernetesClient
{
    // The API server ends a watch after this long at the latest; it is then opened again.
    private const int WatchSeconds = 300;

    /// <inheritdoc />
    public Task WatchDeploymentAsync(string deployment, Action<DeploymentState> onChange, CancellationToken cancellationToken) =>
        RewatchAsync(async () =>
        {
            await foreach (var (type, item) in WatchAsync<V1Deployment>(api => api.AppsV1.WatchListNamespacedDeploymentAsync(Namespace,
                fieldSelector: $"metadata.name={deployment}", timeoutSeconds: WatchSeconds, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                if (type is WatchEventType.Added or WatchEventType.Modified)
                {
                    onChange(KubernetesStates.Deployment(item));
                }
            }
        }, null, cancellationToken);

    /// <inheritdoc />
    public Task WatchPodsAsync(string selector, Action<IReadOnlyList<PodState>> onChange, CancellationToken cancellationToken)
    {
        var tracker = new PodTracker();
        var pods = RewatchAsync(async () =>
        {
            await foreach (var (type, pod) in WatchAsync<V1Pod>(api => api.CoreV1.WatchListNamespacedPodAsync(Namespace,
                labelSelector: selector, timeoutSeconds: WatchSeconds, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                tracker.Apply(type, pod);
                onChange(tracker.Snapshot());
            }
        }, tracker.ResetPods, cancellationToken);
        var sets = RewatchAsync(async () =>
        {
            await foreach (var (type, set) in WatchAsync<V1ReplicaSet>(api => api.AppsV1.WatchListNamespacedReplicaSetAsync(Namespace,
                labelSelector: selector, timeoutSeconds: WatchSeconds, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                tracker.Apply(type, set);
                onChange(tracker.Snapshot());
            }
        }, null, cancellationToken);
        var events = RewatchAsync(async () =>
        {
            await foreach (var (type, e) in WatchAsync<Corev1Event>(api => api.CoreV1.WatchListNamespacedEventAsync(Namespace,
                fieldSelector: "involvedObject.kind=Pod", timeoutSeconds: WatchSeconds, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                tracker.Apply(type, e);
                if (e.Reason == "Unhealthy")
                {
                    onChange(tracker.Snapshot());
                }
            }
        }, null, cancellationToken);
        return Task.WhenAll(pods, sets, events);
    }

    /// <inheritdoc />
    public async Task StreamLogsAsync(string selector, Action<string, string> onLine, CancellationToken cancellationToken)
    {
        var followed = new HashSet<string>(StringComparer.Ordinal);
        var copies = new List<Task>();
        var watch = WatchPodsAsync(selector, pods =>
        {
            foreach (var pod in pods.Where(p => p.Phase == "Running" && !p.Terminating))
            {
                lock (followed)
                {
                    if (followed.Add(pod.Name))
                    {
                        copies.Add(FollowAsync(pod.Name, onLine, cancellationToken));
                    }
                }
            }
        }, cancellationToken);
        try
        {
            await watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Following logs ends by cancellation.
        }

        Task[] running;
        lock (followed)
        {
            running = [.. copies];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    // One pod's log from 20 lines back, until the pod's container ends or we are cancelled.
    private async Task FollowAsync(string pod, Action<string, string> onLine, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await CallAsync($"follow log of pod {Namespace}/{pod}", api => api.CoreV1.ReadNamespacedPodLogAsync(pod, Namespace,
                follow: true, tailLines: 20, cancellationToken: cancellationToken)).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                onLine(pod, line);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the resource.
        }
        catch (KubernetesApiException)
        {
            // The pod went away or has not started: its log is not ours to wait for.
        }
    }

    private IAsyncEnumerable<(WatchEventType, T)> WatchAsync<T>(Func<k8s.Kubernetes, IAsyncEnumerable<(WatchEventType, T)>> watch, CancellationToken cancellationToken) =>
        Translated(watch(Api()), typeof(T).Name, cancellationToken);

    private async IAsyncEnumerable<(WatchEventType, T)> Translated<T>(IAsyncEnumerable<(WatchEventType, T)> source, string what,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var items = source.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (Translate($"watch {what}", ex) is { } translated)
            {
                throw translated;
            }

            if (!more)
            {
                yield break;
            }

            yield return items.Current;
        }
    }

    // A watch ends when the API server closes it (its timeout, a restart): open it again until cancelled.
    private async Task RewatchAsync(Func<Task> watch, Action? beforeRestart, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await watch().ConfigureAwait(false);
                }
                catch (KubernetesApiException)
                {
                    // An API server that restarts (a node container started again) is back in seconds: watch again.
                }

                await Task.Delay(RewatchDelay, cancellationToken).ConfigureAwait(false);
                beforeRestart?.Invoke();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Watching ends with the caller.
        }
    }
}
