using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>Adds the kind cluster to an environment.</summary>
public static class ClusterBuilderExtensions
{
    /// <summary>
    /// Adds the kind cluster named after the environment (<c>DEVENV_NAME</c>): created or reused, with its own
    /// kubeconfig in the state directory; kind's output is its console log. Wire it to a registry with
    /// <see cref="WithRegistry"/>.
    /// </summary>
    public static IResourceBuilder<KindClusterResource> AddKindCluster(this IDistributedApplicationBuilder builder, string name = "cluster")
    {
        var devenv = builder.DevEnv();
        var settings = devenv.Settings;
        var resource = new KindClusterResource(name, new ClusterResource(name, settings, devenv.Kind, devenv.Kubernetes, new ClusterEngine(devenv.Docker))
        {
            IdentifyEngine = devenv.IdentifyEngine,
        });
        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "KindCluster",
                State = KnownResourceStates.NotStarted,
                Properties =
                [
                    new("cluster", settings.Name),
                    new("nodeImage", settings.NodeImage),
                    new("context", settings.KubeContext),
                    new("kubeconfig", settings.KubeconfigPath),
                ],
            })
            .WithReconciler(
                [new CommandSpec(ClusterResource.RecreateCommand, "Recreate cluster", "Delete the kind cluster and create it again", "ArrowClockwise",
                    $"Delete kind cluster '{settings.Name}' and everything deployed in it, then create it again?")],
                autoStart: () => devenv.Options.Verb != "build");
    }

    /// <summary>
    /// Wires the cluster to the local registry: it starts once the registry is healthy, writes containerd's
    /// <c>hosts.toml</c> for it on every node and joins the registry container to the kind network.
    /// </summary>
    public static IResourceBuilder<KindClusterResource> WithRegistry(this IResourceBuilder<KindClusterResource> cluster, IResourceBuilder<ContainerResource> registry) =>
        cluster.WaitFor(registry).WithRelationship(registry.Resource, "Pulls from");
}
