namespace DevEnv.AppHost.Clients.Kubectl;

/// <summary>The status counts of a Deployment.</summary>
/// <param name="Desired">spec.replicas.</param>
/// <param name="Ready">status.readyReplicas.</param>
/// <param name="Updated">status.updatedReplicas (pods of the newest template).</param>
/// <param name="Available">status.availableReplicas.</param>
/// <param name="RolledOut">Whether the controller has seen the newest generation and every replica is updated and available.</param>
public sealed record DeploymentState(int Desired, int Ready, int Updated, int Available, bool RolledOut);
