using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// The few Kubernetes API calls a port-forward (the managed forward, not yet written) makes: the Service, its pods (listed, then watched), and
/// a port-forward stream to one pod. <see cref="KubernetesClient"/> implements them with KubernetesClient's calls and
/// its WebSocket port-forward; failures are <see cref="KubernetesApiException"/>s naming the API server.
/// </summary>
public interface IPortForwardApi
{
    /// <summary>The Service (its selector and ports).</summary>
    Task<V1Service> ReadServiceAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>The pods matching a label selector, with the list's resource version to watch from.</summary>
    Task<V1PodList> ListPodsAsync(string @namespace, string selector, CancellationToken cancellationToken);

    /// <summary>The changes to those pods after <paramref name="resourceVersion"/>, until the API server ends the watch.</summary>
    IAsyncEnumerable<(WatchEventType Type, V1Pod Pod)> WatchPodsAsync(string @namespace, string selector, string? resourceVersion, CancellationToken cancellationToken);

    /// <summary>A byte stream to <paramref name="port"/> inside <paramref name="pod"/>, through the API server (pods/portforward).</summary>
    Task<Stream> OpenAsync(string @namespace, string pod, int port, CancellationToken cancellationToken);
}
