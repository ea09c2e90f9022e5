using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <content>What port-forward (the managed forward, not yet written) needs of the API: the Service, its pods, a port-forward stream.</content>
public sealed partial class KubernetesClient : IPortForwardApi
{
    /// <summary>The WebSocket subprotocol of pods/portforward: channel byte, then the data (v4 carries no half-close).</summary>
    public const string PortForwardProtocol = "v4.channel.k8s.io";

    /// <inheritdoc />
    public Task<V1Service> ReadServiceAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        CallAsync($"read service {@namespace}/{name}", api => api.CoreV1.ReadNamespacedServiceAsync(name, @namespace, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public Task<V1PodList> ListPodsAsync(string @namespace, string selector, CancellationToken cancellationToken) =>
        CallAsync($"list pods {selector}", api => api.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: selector, cancellationToken: cancellationToken));

    /// <inheritdoc />
    public IAsyncEnumerable<(WatchEventType Type, V1Pod Pod)> WatchPodsAsync(string @namespace, string selector, string? resourceVersion, CancellationToken cancellationToken) =>
        WatchAsync<V1Pod>(api => api.CoreV1.WatchListNamespacedPodAsync(@namespace, labelSelector: selector, resourceVersion: resourceVersion,
            timeoutSeconds: WatchSeconds, cancellationToken: cancellationToken), cancellationToken);

    /// <inheritdoc />
    public async Task<Stream> OpenAsync(string @namespace, string pod, int port, CancellationToken cancellationToken)
    {
        var what = $"port-forward to pod {@namespace}/{pod}:{port}";
        try
        {
            var socket = await CallAsync(what, api =>
                api.WebSocketNamespacedPodPortForwardAsync(pod, @namespace, [port], PortForwardProtocol, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new PortForwardStream(socket, $"pod {@namespace}/{pod}:{port}");
        }
        catch (System.Net.WebSockets.WebSocketException ex)
        {
            // The upgrade itself failed (the API server or a proxy in front of it closed the connection).
            throw new KubernetesApiException($"The Kubernetes API server {_server} did not open the {what}: {ex.Message}", inner: ex);
        }
    }
}
