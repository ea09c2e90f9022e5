using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Clients.Kind;

/// <summary>
/// The kind CLI as typed calls. Every call goes through the process runner; a missing <c>kind</c> throws
/// <see cref="Process.ToolNotFoundException"/> with how to install it.
/// </summary>
public interface IKindClient
{
    /// <summary>The output of <c>kind version</c>, e.g. "kind v0.32.0 go1.26 linux/amd64".</summary>
    Task<string> GetVersionAsync(ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Creates a cluster; kind removes what it made when this fails.</summary>
    Task CreateClusterAsync(KindCreateOptions options, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Names of the existing kind clusters.</summary>
    Task<IReadOnlyList<string>> GetClustersAsync(ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Node container names of a cluster (empty when it does not exist).</summary>
    Task<IReadOnlyList<string>> GetNodesAsync(string cluster, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>The cluster's kubeconfig as text (for refreshing our own kubeconfig file).</summary>
    Task<string> GetKubeconfigAsync(string cluster, ResourceLog log, CancellationToken cancellationToken);

    /// <summary>Deletes a cluster; succeeds when it does not exist.</summary>
    Task DeleteClusterAsync(string cluster, string kubeconfigPath, ResourceLog log, CancellationToken cancellationToken);
}
