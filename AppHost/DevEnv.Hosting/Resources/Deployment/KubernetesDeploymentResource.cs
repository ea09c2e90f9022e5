using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>A project running in the cluster as a Deployment and a Service; its pods are child resources.</summary>
/// <param name="name">The resource's name.</param>
/// <param name="deployment">What applies, rolls out, scales and watches it.</param>
public sealed class KubernetesDeploymentResource(string name, DeploymentResource deployment) : ReconciledResource<DeploymentResource>(name, deployment)
{
    /// <summary>The deployment's reconciler.</summary>
    public DeploymentResource Deployment => Work;
}
