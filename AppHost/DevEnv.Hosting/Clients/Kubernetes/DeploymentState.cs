namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>The status counts of a Deployment.</summary>
/// <param name="Desired">spec.replicas.</param>
/// <param name="Ready">status.readyReplicas.</param>
/// <param name="Updated">status.updatedReplicas (pods of the newest template).</param>
/// <param name="Available">status.availableReplicas.</param>
/// <param name="RolledOut">Whether the controller has seen the newest generation and every replica is updated and available.</param>
/// <param name="Stalled">
/// The Progressing condition's message when the controller gave up (reason ProgressDeadlineExceeded), else null.
/// </param>
/// <param name="ProgressDeadlineSeconds">spec.progressDeadlineSeconds: how long the controller waits for progress.</param>
/// <param name="Revision">The deployment.kubernetes.io/revision annotation: which rollout this is.</param>
public sealed record DeploymentState(int Desired, int Ready, int Updated, int Available, bool RolledOut,
    string? Stalled = null, int? ProgressDeadlineSeconds = null, string? Revision = null);
