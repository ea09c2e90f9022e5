using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.AppModel;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.RemoteCluster;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// Per-resource settings of the cluster deployment. None is needed to deploy: with a cluster in the model, every project
/// and container runs in it (the cluster is the model's compute environment).
/// </summary>
public static class DeploymentBuilderExtensions
{
    /// <summary>
    /// Settings for the resource in the kind cluster: <paramref name="nodePort"/> makes its first http endpoint external
    /// on that port (the Service's node port, mapped to 127.0.0.1), <paramref name="replicas"/> sets its replica count.
    /// </summary>
    public static IResourceBuilder<T> WithKindDeployment<T>(this IResourceBuilder<T> resource, int? nodePort = null, int? replicas = null)
        where T : IComputeResource =>
        resource.WithAnnotation(new ClusterWorkloadAnnotation(nodePort, replicas), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>
    /// Deploys <paramref name="project"/> to <paramref name="cluster"/> with the given settings (the form of earlier
    /// releases; <c>WithKindDeployment(nodePort:, replicas:)</c> alone does the same when the model has one cluster).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKindDeployment(
        this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<KindClusterResource> cluster,
        IResourceBuilder<ContainerResource> registry,
        int? nodePort = null,
        int? replicas = null)
    {
        _ = registry;
        return project.WithComputeEnvironment(AsEnvironment(cluster)).WithKindDeployment(nodePort, replicas);
    }

    /// <summary>
    /// Deploys <paramref name="project"/> to an existing cluster through the remote registry (DEVENV_REGISTRY,
    /// DEVENV_KUBE_CONTEXT): pushed to that registry and run by digest in DEVENV_NAMESPACE with the pull Secret, behind
    /// a DEVENV_SERVICE_TYPE Service (ClusterIP unless asked). With one cluster in the model this is the default.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRemoteDeployment(this IResourceBuilder<ProjectResource> project, IResourceBuilder<RemoteClusterResource> cluster, int? replicas = null) =>
        project.WithComputeEnvironment(AsEnvironment(cluster)).WithKindDeployment(nodePort: null, replicas);

    /// <summary>
    /// Keeps the resource out of the cluster: Aspire runs it on this machine as it would without DevEnv. Pods cannot
    /// reach it, so a resource in the cluster must not reference it.
    /// </summary>
    public static IResourceBuilder<T> RunLocally<T>(this IResourceBuilder<T> resource)
        where T : IResource =>
        resource.WithAnnotation(new RunLocallyAnnotation(), ResourceAnnotationMutationBehavior.Replace);

    private static IResourceBuilder<IComputeEnvironmentResource> AsEnvironment<T>(IResourceBuilder<T> cluster)
        where T : IComputeEnvironmentResource =>
        cluster.ApplicationBuilder.CreateResourceBuilder<IComputeEnvironmentResource>(cluster.Resource);
}
