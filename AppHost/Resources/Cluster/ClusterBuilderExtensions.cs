using DevEnv.AppHost.Clients.Kind;
using DevEnv.AppHost.Clients.Kubectl;
using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Resources.Cluster;

/// <summary>Adds the kind cluster to an environment.</summary>
public static class ClusterBuilderExtensions
{
    /// <summary>
    /// Adds the kind cluster named after the environment (settings.Name), wired to the registry. Make it depend on
    /// the registry resource so the registry is on the kind network first.
    /// </summary>
    public static ClusterResource AddKindCluster(this DevEnvironmentBuilder builder, string resourceName = "cluster")
    {
        var kind = builder.GetOrAddService<IKindClient>(b => new KindClient(b.ProcessRunner));
        var kubectl = builder.GetOrAddService(KubectlFor);
        return builder.AddResource(new ClusterResource(resourceName, builder.Settings, kind, kubectl, new NodeDocker(builder.ProcessRunner)));
    }

    /// <summary>The one kubectl client of an environment: its own kubeconfig and context.</summary>
    public static IKubectlClient KubectlFor(DevEnvironmentBuilder builder) =>
        new KubectlClient(builder.ProcessRunner, new KubectlArguments(builder.Settings.KubeconfigPath, builder.Settings.KubeContext));
}
