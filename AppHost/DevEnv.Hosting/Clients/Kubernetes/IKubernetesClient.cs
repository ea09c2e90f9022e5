using DevEnv.Hosting.Model;
using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// The Kubernetes API through KubernetesClient, always with our own kubeconfig and an explicitly named context, so
/// the user's kubeconfig and current context are never read or changed. Failures throw
/// <see cref="KubernetesApiException"/> with one line naming the API server or the request.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>Server-side applies the objects (field manager "devenv", conflicts forced), in order.</summary>
    Task ApplyAsync(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>The cluster's nodes and whether they are Ready.</summary>
    Task<IReadOnlyList<NodeState>> GetNodesAsync(ResourceLog log, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the API server for its version until it answers (it needs 10–30 s after its node container starts), telling
    /// <paramref name="onAttempt"/> about every try that got no answer. Returns the server's version; throws
    /// <see cref="KubernetesApiException"/> naming the last error when it has not answered within <paramref name="timeout"/>.
    /// </summary>
    Task<string> WaitForApiServerAsync(TimeSpan timeout, Action<ApiServerAttempt>? onAttempt, CancellationToken cancellationToken);

    /// <summary>Watches the nodes until every one is Ready; false when that does not happen within <paramref name="timeout"/>.</summary>
    Task<bool> WaitForNodesReadyAsync(TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>
    /// Watches a Deployment until it has rolled out. When its controller reports ProgressDeadlineExceeded, or it
    /// does not finish within <paramref name="timeout"/>, throws <see cref="RolloutFailedException"/> explaining
    /// why: ReplicaSet conditions, the not-ready pods (picked by <paramref name="podSelector"/>) with their
    /// termination reasons, time-ordered events and last log lines.
    /// </summary>
    Task WaitForRolloutAsync(string deployment, string podSelector, TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Starts a new rollout of the same template (what <c>kubectl rollout restart</c> does).</summary>
    Task RestartRolloutAsync(string deployment, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Sets a Deployment's replica count through its scale subresource.</summary>
    Task ScaleAsync(string deployment, int replicas, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>A Deployment's counts; null when it does not exist.</summary>
    Task<DeploymentState?> GetDeploymentAsync(string deployment, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onChange"/> with the Deployment's state on every change, until cancelled.</summary>
    Task WatchDeploymentAsync(string deployment, Action<DeploymentState> onChange, CancellationToken cancellationToken);

    /// <summary>The pods matching a label selector, with their revisions and probe failures.</summary>
    Task<IReadOnlyList<PodState>> GetPodsAsync(string selector, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>
    /// Watches the pods matching <paramref name="selector"/>, their ReplicaSets and events, and calls
    /// <paramref name="onChange"/> with all pods' states on every change, until cancelled.
    /// </summary>
    Task WatchPodsAsync(string selector, Action<IReadOnlyList<PodState>> onChange, CancellationToken cancellationToken);

    /// <summary>Events of one pod, or of the whole namespace; oldest first by time.</summary>
    Task<IReadOnlyList<KubeEvent>> GetEventsAsync(string? podName, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>The last lines a pod wrote (of its previous instance when <paramref name="previous"/>); none when it has no logs.</summary>
    Task<IReadOnlyList<string>> GetLogTailAsync(string pod, int lines, bool previous, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>
    /// Follows the logs of every pod matching <paramref name="selector"/> (pods that start later too), each line
    /// handed over with its pod's name, until cancelled (then returns normally).
    /// </summary>
    Task StreamLogsAsync(string selector, Action<string, string> onLine, CancellationToken cancellationToken);

    /// <summary>Deletes the Deployments, Services, ConfigMaps and Secrets in the namespace that match <paramref name="selector"/>; returns how many.</summary>
    Task<int> DeleteByLabelAsync(string selector, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Deletes the PersistentVolumeClaims (the data of the app's containers) that match <paramref name="selector"/>: <c>down --purge</c> only.</summary>
    Task<int> DeleteClaimsByLabelAsync(string selector, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>
    /// Creates <paramref name="ns"/> when it does not exist (true), leaves an existing one untouched (false): a namespace
    /// someone else made never gets our labels. A refusal names the namespace and DEVENV_NAMESPACE.
    /// </summary>
    Task<bool> EnsureNamespaceAsync(V1Namespace ns, ResourceLog log, CancellationToken cancellationToken);
}
