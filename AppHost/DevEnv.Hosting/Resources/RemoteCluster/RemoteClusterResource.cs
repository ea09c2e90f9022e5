using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Resources.RemoteCluster;

/// <summary>An existing cluster named by DEVENV_KUBE_CONTEXT, as an Aspire resource (the deployments wait for it); the app model's compute environment.</summary>
/// <param name="name">The resource's name.</param>
/// <param name="target">What names it, makes sure of the namespace and applies the pull Secret.</param>
public sealed class RemoteClusterResource(string name, RemoteClusterTarget target) : ReconciledResource<RemoteClusterTarget>(name, target), IComputeEnvironmentResource
{
    /// <summary>The target's reconciler.</summary>
    public RemoteClusterTarget Target => Work;
}
