namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// A rollout did not complete in time. The message names the deployment and carries, for each pod that is not
/// ready, its state, its events and its last log lines: what a user would otherwise go and look up by hand.
/// </summary>
public sealed class RolloutFailedException(string deployment, string message, IReadOnlyList<PodState> failingPods, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The deployment that did not roll out.</summary>
    public string Deployment { get; } = deployment;

    /// <summary>The pods that were not ready when it gave up.</summary>
    public IReadOnlyList<PodState> FailingPods { get; } = failingPods;
}
