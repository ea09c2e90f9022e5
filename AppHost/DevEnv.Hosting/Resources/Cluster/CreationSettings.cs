using System.Globalization;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using Docker.DotNet.Models;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// The settings kind fixes when it creates a cluster (the node image, the host ports it publishes with
/// <c>docker run --publish</c>, the number of workers) compared with what the node containers really have. A cluster
/// made with other settings still runs, but a changed port would leave the URL shown answering nothing. Pure.
/// </summary>
public static class CreationSettings
{
    /// <summary>kind's own label naming a node container's role.</summary>
    public const string RoleLabel = "io.x-k8s.kind.role";

    /// <summary>The API server port kind publishes on the control plane itself (not ours to compare).</summary>
    public const string ApiServerPort = "6443/tcp";

    /// <summary>Each difference as a short phrase ("port 30080/tcp is published on 127.0.0.1:30081, the settings say 127.0.0.1:30080"); empty when none.</summary>
    public static IReadOnlyList<string> Differences(EnvironmentSettings settings, IReadOnlyList<ContainerInspectResponse> nodes)
    {
        var wanted = KindConfigRenderer.Build(settings).Nodes;
        var differences = new List<string>();
        var workers = nodes.Count(n => n.Label(RoleLabel) == "worker");
        if (workers != settings.WorkerNodes)
        {
            differences.Add($"it has {workers} worker nodes, the settings ask for {settings.WorkerNodes}");
        }

        foreach (var node in nodes)
        {
            var name = (node.Name ?? "").TrimStart('/');
            if (node.Config?.Image != settings.NodeImage)
            {
                differences.Add($"node {name} runs image {node.Config?.Image}, the settings say {settings.NodeImage}");
            }

            var spec = wanted.FirstOrDefault(w => w.Role == node.Label(RoleLabel));
            var expected = (spec?.ExtraPortMappings ?? []).ToDictionary(
                m => $"{m.ContainerPort.ToString(CultureInfo.InvariantCulture)}/{m.Protocol.ToLowerInvariant()}",
                m => $"{m.ListenAddress}:{m.HostPort.ToString(CultureInfo.InvariantCulture)}", StringComparer.Ordinal);
            var actual = (node.HostConfig?.PortBindings ?? new Dictionary<string, IList<PortBinding>>())
                .Where(b => b.Key != ApiServerPort || node.Label(RoleLabel) != "control-plane")
                .ToDictionary(b => b.Key, b => string.Join(", ", (b.Value ?? []).Select(p => $"{p.HostIP}:{p.HostPort}")), StringComparer.Ordinal);
            foreach (var (port, address) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!actual.TryGetValue(port, out var published))
                {
                    differences.Add($"port {port} of node {name} is not published, the settings say {address}");
                }
                else if (published != address)
                {
                    differences.Add($"port {port} of node {name} is published on {published}, the settings say {address}");
                }
            }

            foreach (var (port, published) in actual.Where(a => !expected.ContainsKey(a.Key)).OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                differences.Add($"port {port} of node {name} is published on {published}, which the settings no longer ask for");
            }
        }

        return differences;
    }
}
