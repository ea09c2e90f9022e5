using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.Cluster;

/// <content>The <c>status</c> verb's look at the cluster.</content>
public sealed partial class ClusterResource
{
    /// <summary>
    /// The <c>status</c> verb: looks (kind get clusters, the node containers' state, the API server's nodes) and creates, starts or
    /// writes nothing.
    /// </summary>
    public async Task ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var log = context.Log;
        await ShowEngineAsync(context, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> clusters;
        try
        {
            clusters = await kind.GetClustersAsync(log, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolNotFoundException ex)
        {
            context.SetState(ResourceStates.Failed, ex.Message);
            return;
        }

        if (!clusters.Contains(settings.Name))
        {
            context.SetState(ResourceStates.Stopped, $"kind cluster '{settings.Name}' not created");
            return;
        }

        var nodes = await kind.GetNodesAsync(settings.Name, log, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> stopped;
        try
        {
            stopped = nodes.Count == 0 ? [] : await NotRunningAsync(nodes, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerUnavailableException ex)
        {
            context.SetState(ResourceStates.Failed, ex.Message);
            return;
        }

        if (nodes.Count == 0 || stopped.Count > 0)
        {
            context.SetState(ResourceStates.Stopped, nodes.Count == 0
                ? Broken("it has no node containers (a creation that was interrupted)")
                : $"node containers stopped: {string.Join(", ", stopped)} (up starts them)");
            return;
        }

        if (!await IsOursAsync(nodes, cancellationToken).ConfigureAwait(false))
        {
            context.SetState(ResourceStates.Failed, NotOurs());
            return;
        }

        if (!File.Exists(settings.KubeconfigPath))
        {
            // Printed, not written: whether kind can read it off the control plane tells a half-made cluster from a lost file.
            try
            {
                await kind.GetKubeconfigAsync(settings.Name, log, cancellationToken).ConfigureAwait(false);
            }
            catch (ProcessFailedException ex)
            {
                context.SetState(ResourceStates.Failed, HalfCreated(ex.Message));
                return;
            }

            context.SetState(ResourceStates.Degraded, $"running, but our kubeconfig {settings.KubeconfigPath} is missing (up rewrites it)");
            return;
        }

        var differences = CreationSettings.Differences(settings, await InspectNodesAsync(nodes, cancellationToken).ConfigureAwait(false));
        if (differences.Count > 0)
        {
            context.SetState(ResourceStates.Degraded, CreatedWithOtherSettings(differences));
            return;
        }

        IReadOnlyList<NodeState> states;
        try
        {
            states = await kubernetes.GetNodesAsync(log, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex)
        {
            context.SetState(ResourceStates.Degraded, $"node containers run but the API server does not answer: {ex.Message}");
            return;
        }

        var ready = states.Count(n => n.Ready);
        context.Update(s => s.WithProperty("nodes", $"{ready}/{states.Count} ready").WithProperty("kubeconfig", settings.KubeconfigPath));
        context.SetState(ready == states.Count && ready > 0 ? ResourceStates.Running : ResourceStates.Degraded,
            $"kind cluster '{settings.Name}': {ready}/{states.Count} nodes ready");
    }
}
