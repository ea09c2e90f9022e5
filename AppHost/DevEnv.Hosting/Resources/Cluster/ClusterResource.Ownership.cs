using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DevEnv.Hosting.Resources.Cluster;

/// <content>
/// Whether the kind cluster of our name is ours. kind puts only its own labels on the node containers, so the mark is
/// the one kind copies from our config into the control plane's kubeadm configuration (our environment label is a
/// node label there), or the control-plane container ID we wrote down when kind created it.
/// </content>
public sealed partial class ClusterResource
{
    /// <summary>Where kind writes the kubeadm configuration in every node, our node labels included.</summary>
    public const string KubeadmConfigPath = "/kind/kubeadm.conf";

    private string OwnedNodeRecord => Path.Combine(settings.ResolvedStateDirectory, "kind-control-plane.id");

    private string ControlPlaneName => $"{settings.Name}-control-plane";

    private async Task<bool> IsOursAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        if (!nodes.Contains(ControlPlaneName)
            || await docker.TryInspectContainerAsync(ControlPlaneName, cancellationToken).ConfigureAwait(false) is not { } controlPlane)
        {
            return false;
        }

        if (File.Exists(OwnedNodeRecord) && (await File.ReadAllTextAsync(OwnedNodeRecord, cancellationToken).ConfigureAwait(false)).Trim() == controlPlane.ID)
        {
            return true;
        }

        try
        {
            var config = Encoding.UTF8.GetString(await docker.ReadFileAsync(controlPlane.ID, KubeadmConfigPath, cancellationToken).ConfigureAwait(false));
            return Regex.IsMatch(config, $@"(?<![\w.-]){Regex.Escape($"{EnvironmentSettings.EnvironmentLabel}={settings.Name}")}(?![\w.-])");
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Writes down the control-plane container kind just made for us.</summary>
    private async Task RecordOwnershipAsync(CancellationToken cancellationToken)
    {
        if (await docker.TryInspectContainerAsync(ControlPlaneName, cancellationToken).ConfigureAwait(false) is { } controlPlane)
        {
            Directory.CreateDirectory(settings.ResolvedStateDirectory);
            await File.WriteAllTextAsync(OwnedNodeRecord, controlPlane.ID + "\n", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<ContainerInspectResponse>> InspectNodesAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        var found = new List<ContainerInspectResponse>();
        foreach (var node in nodes)
        {
            if (await docker.TryInspectContainerAsync(node, cancellationToken).ConfigureAwait(false) is { } inspect)
            {
                found.Add(inspect);
            }
        }

        return found;
    }

    /// <summary>What the nodes really run (not the setting): one image, or each node's.</summary>
    private async Task<string> NodeImagesAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        var images = (await InspectNodesAsync(nodes, cancellationToken).ConfigureAwait(false)).Select(n => n.Config?.Image ?? "").Distinct().ToArray();
        return string.Join(", ", images);
    }
}
