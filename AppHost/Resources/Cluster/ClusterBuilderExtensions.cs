using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Clients.Kind;
using DevEnv.AppHost.Clients.Kubernetes;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Resources.Cluster;

/// <summary>Adds the kind cluster to an environment.</summary>
public static class ClusterBuilderExtensions
{
    /// <summary>
    /// Adds the kind cluster named after the environment (settings.Name), wired to the registry. Pass the registry
    /// resource so the cluster starts after it (the registry is then already on the kind network) and is torn
    /// down before it.
    /// </summary>
    public static ClusterResource AddKindCluster(this DevEnvironmentBuilder builder, Resource? registry = null, string resourceName = "cluster")
    {
        var kind = builder.GetOrAddService<IKindClient>(b => new KindClient(b.ProcessRunner));
        var kubernetes = builder.GetOrAddService(KubernetesFor);
        var docker = builder.GetOrAddService<IDockerClient>(_ => new DockerClient());
        var cluster = builder.AddResource(new ClusterResource(resourceName, builder.Settings, kind, kubernetes, docker));
        if (registry is not null)
        {
            cluster.DependsOn(registry);
        }

        return cluster;
    }

    /// <summary>The one Kubernetes client of an environment: its own kubeconfig and context, named explicitly.</summary>
    public static IKubernetesClient KubernetesFor(DevEnvironmentBuilder builder) =>
        new KubernetesClient(builder.Settings.KubeconfigPath, builder.Settings.KubeContext);
}
