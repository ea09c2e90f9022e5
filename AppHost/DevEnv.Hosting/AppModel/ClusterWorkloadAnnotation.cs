using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.AppModel;

/// <summary>Per-resource settings of a workload in the cluster (<c>WithKindDeployment(nodePort:, replicas:)</c>).</summary>
/// <param name="NodePort">The node port (and 127.0.0.1 port) of the resource's first http endpoint, which makes it external.</param>
/// <param name="Replicas">The replica count; default DEVENV_REPLICAS for projects, 1 for containers.</param>
public sealed record ClusterWorkloadAnnotation(int? NodePort, int? Replicas) : IResourceAnnotation;
