using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Clients.Kubectl;

/// <summary>
/// kubectl as typed calls against our own kubeconfig and context (see <see cref="KubectlArguments"/>).
/// A missing <c>kubectl</c> throws <see cref="Process.ToolNotFoundException"/> with how to install it.
/// </summary>
public interface IKubectlClient
{
    /// <summary>The client's version (no cluster needed); the way to check kubectl is installed.</summary>
    Task<string> GetClientVersionAsync(ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Server-side applies a multi-document YAML stream with our field manager.</summary>
    Task ApplyAsync(string yaml, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>The cluster's nodes and whether they are Ready.</summary>
    Task<IReadOnlyList<NodeState>> GetNodesAsync(ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Waits until every node is Ready; false (with kubectl's complaint logged) when it times out.</summary>
    Task<bool> WaitForNodesReadyAsync(TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for a Deployment's rollout. When it does not finish within <paramref name="timeout"/>, throws
    /// <see cref="RolloutFailedException"/> carrying the not-ready pods (picked by <paramref name="podSelector"/>),
    /// their events and last log lines.
    /// </summary>
    Task WaitForRolloutAsync(string deployment, string podSelector, TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Starts a new rollout of the same template (<c>kubectl rollout restart</c>).</summary>
    Task RestartRolloutAsync(string deployment, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Sets a Deployment's replica count.</summary>
    Task ScaleAsync(string deployment, int replicas, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>A Deployment's counts; null when it does not exist.</summary>
    Task<DeploymentState?> GetDeploymentAsync(string deployment, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>The pods matching a label selector, with their probe failures.</summary>
    Task<IReadOnlyList<PodState>> GetPodsAsync(string selector, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Events, of one pod or of the whole namespace.</summary>
    Task<IReadOnlyList<KubeEvent>> GetEventsAsync(string? podName, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>The last lines a pod wrote (of its previous instance when <paramref name="previous"/>).</summary>
    Task<IReadOnlyList<string>> GetLogTailAsync(string pod, int lines, bool previous, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>
    /// Follows the logs of every pod matching <paramref name="selector"/>, each line prefixed with its pod,
    /// until cancelled (then returns normally) or kubectl exits.
    /// </summary>
    Task StreamLogsAsync(string selector, Action<string> onLine, CancellationToken cancellationToken);
}
