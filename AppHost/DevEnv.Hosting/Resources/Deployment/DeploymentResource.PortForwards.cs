using System.Net.Sockets;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.PortForward;

namespace DevEnv.Hosting.Resources.Deployment;

/// <content>The local URLs of a cluster whose node ports are not on this host (a remote target).</content>
public sealed partial class DeploymentResource
{
    private readonly List<ManagedPortForward> _forwards = [];

    /// <summary>
    /// Where the Service's node ports are not mapped to 127.0.0.1 (a remote target: ClusterIP, or a node port on the
    /// cluster's nodes), the API server's port-forward that makes each endpoint's URL true: http://localhost:&lt;its node
    /// port number&gt; (stable across runs) to a ready pod, following the pods through rollouts. Null: kind maps the ports.
    /// </summary>
    public IPortForwardApi? PortForwards { get; init; }

    // Once, after the first rollout: each forward follows the pods by itself from then on.
    private async Task EnsurePortForwardsAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (PortForwards is not { } api || _forwards.Count > 0)
        {
            return;
        }

        foreach (var port in (Ports ?? []).Where(p => p.IsHttp && p.NodePort is not null))
        {
            var forward = new ManagedPortForward(api, settings.WorkloadNamespace, Selector, port.Port, port.NodePort!.Value);
            try
            {
                await forward.StartAsync(cancellationToken).ConfigureAwait(false);
                _forwards.Add(forward);
                context.Log.Info($"{port.EndpointName ?? port.Name}: {forward.Url} reaches port {port.Port} of a ready pod through the API server (port-forward)");
            }
            catch (Exception ex) when (ex is SocketException or KubernetesApiException or IOException)
            {
                await forward.DisposeAsync().ConfigureAwait(false);
                context.Log.Error($"{port.EndpointName ?? port.Name}: no local URL at http://localhost:{port.NodePort}: {ex.Message.Split('\n')[0]}"
                    + (ex is SocketException ? " (another program holds that port: free it, or set DEVENV_NODE_PORT)" : ""));
            }
        }
    }

    private async Task StopPortForwardsAsync()
    {
        foreach (var forward in _forwards)
        {
            await forward.DisposeAsync().ConfigureAwait(false);
        }

        _forwards.Clear();
    }
}
