using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Resources.RemoteCluster;

/// <summary>Adds an existing cluster (DEVENV_KUBE_CONTEXT, pulling from DEVENV_REGISTRY) in place of kind.</summary>
public static class RemoteClusterBuilderExtensions
{
    /// <summary>
    /// Adds the cluster of the context DEVENV_KUBE_CONTEXT names in the user's kubeconfig (read, never written): no kind,
    /// no registry container; the deployments go to DEVENV_NAMESPACE (default devenv-&lt;name&gt;) with a pull Secret.
    /// </summary>
    public static IResourceBuilder<RemoteClusterResource> AddRemoteCluster(this IDistributedApplicationBuilder builder, string name = "cluster")
    {
        var devenv = builder.DevEnv();
        var settings = devenv.Settings;
        var target = new RemoteClusterTarget(name, settings, devenv.Kubernetes, devenv.Kubeconfig, devenv.RegistryCredentials);
        return builder.AddResource(new RemoteClusterResource(name, target))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "KubernetesCluster",
                State = KnownResourceStates.NotStarted,
                Properties =
                [
                    new("context", settings.RemoteKubeContext ?? "(DEVENV_KUBE_CONTEXT not set)"),
                    new("namespace", settings.WorkloadNamespace),
                    new("kubeconfig", devenv.Kubeconfig),
                    new("registry", settings.RemoteRegistry?.ImageName("") ?? ""),
                ],
            })
            .WithReconciler([], autoStart: () => devenv.Options.Verb != "build");
    }
}
