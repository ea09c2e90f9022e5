using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// The kind cluster as an Aspire resource: created or reused, its nodes wired to the registry. It is the app model's
/// compute environment: every project and container runs in it unless it says otherwise (<c>RunLocally()</c>).
/// </summary>
/// <param name="name">The resource's name.</param>
/// <param name="cluster">What creates, checks, wires and deletes it.</param>
public sealed class KindClusterResource(string name, ClusterResource cluster) : ReconciledResource<ClusterResource>(name, cluster), IComputeEnvironmentResource
{
    /// <summary>The cluster's reconciler (kind, nodes, registry wiring).</summary>
    public ClusterResource Cluster => Work;
}
