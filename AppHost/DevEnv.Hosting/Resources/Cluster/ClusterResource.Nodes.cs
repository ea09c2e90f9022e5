using System.Text;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Model;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Cluster;

/// <content>
/// What the cluster asks of the Docker Engine itself, through <see cref="IClusterEngine"/> (Docker.DotNet underneath): the node image, the node
/// containers kind made, the registry container's network. kind stays a command-line tool.
/// </content>
public sealed partial class ClusterResource
{
    // hosts.toml is configuration, readable by containerd and anyone on the node.
    private const UnixFileMode HostsTomlMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The node containers that do not run, missing ones included (a node removed by hand is not running).</summary>
    private async Task<IReadOnlyList<string>> NotRunningAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        var stopped = new List<string>();
        foreach (var node in nodes)
        {
            if (await docker.TryInspectContainerAsync(node, cancellationToken).ConfigureAwait(false) is not { State.Running: true })
            {
                stopped.Add(node);
            }
        }

        return stopped;
    }

    private async Task StartNodesAsync(IReadOnlyList<string> nodes, ResourceLog log, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            await docker.StartContainerAsync(node, cancellationToken).ConfigureAwait(false);
            log.Info($"started node container {node}");
        }
    }

    /// <summary>
    /// The node image is looked for and pulled here, before kind runs, so a missing image is named with what to do
    /// rather than buried in kind's output.
    /// </summary>
    private async Task EnsureNodeImageAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        context.SetState(ResourceStates.Starting, $"checking node image {settings.NodeImage}");
        if (await docker.HasImageAsync(settings.NodeImage, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        context.SetState(ResourceStates.Starting, $"pulling node image {settings.NodeImage}");
        try
        {
            await docker.PullImageAsync(settings.NodeImage, context.Log.Info, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw Fail(context, NodeImageUnavailable(ex.DaemonMessage()), ex);
        }
    }

    /// <summary>kind's local-registry recipe: hosts.toml on every node, the registry container on the kind network.</summary>
    private async Task WireNodesAsync(IReadOnlyList<string> nodes, ResourceLog log, CancellationToken cancellationToken)
    {
        var file = RegistryWiring.HostsFile(settings);
        var content = Encoding.UTF8.GetBytes(RegistryWiring.HostsToml(settings));
        foreach (var node in nodes)
        {
            // Rewritten every time: idempotent, and a node recreated by hand gets it back. containerd reads it per pull.
            await docker.WriteFileAsync(node, file, content, HostsTomlMode, cancellationToken).ConfigureAwait(false);
            log.Info($"wrote {file} on {node}");
        }

        // The registry resource normally joins the kind network itself; a cluster created after it (kind makes the
        // network on first use) or recreated needs the check again. The registry is another resource's container,
        // so its absence is reported, not fatal.
        var registry = await docker.TryInspectContainerAsync(settings.RegistryContainerName, cancellationToken).ConfigureAwait(false);
        if (registry is null)
        {
            log.Error($"registry container '{settings.RegistryContainerName}' not found: pods cannot pull {settings.RegistryHostAddress}/… until it runs");
        }
        else if (registry.NetworkSettings?.Networks?.ContainsKey(settings.KindNetwork) != true)
        {
            await docker.ConnectNetworkAsync(settings.KindNetwork, settings.RegistryContainerName, cancellationToken).ConfigureAwait(false);
            log.Info($"connected {settings.RegistryContainerName} to network {settings.KindNetwork}");
        }
    }
}
