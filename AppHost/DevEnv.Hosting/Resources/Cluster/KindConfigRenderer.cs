using System.Text.RegularExpressions;
using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// Settings → kind cluster config. Pure: the same settings give the same bytes, so the config can be printed
/// (<c>manifests</c>), reviewed and diffed.
/// </summary>
public static partial class KindConfigRenderer
{
    /// <summary>
    /// The node image of kind v0.32.0's release notes for Kubernetes 1.36 (kind's default for that release),
    /// pinned by digest as kind asks: a tag alone can point at a build for another kind release.
    /// </summary>
    public const string PinnedNodeImage = "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";

    /// <summary>The kind release <see cref="PinnedNodeImage"/> was built for.</summary>
    public const string PinnedKindVersion = "v0.32.0";

    /// <summary>Where containerd looks for per-registry hosts.toml files (its default in kind's images from v0.27).</summary>
    public const string CertsDirectory = "/etc/containerd/certs.d";

    /// <summary>
    /// Makes containerd 1.x read <see cref="CertsDirectory"/>. Node images from kind v0.27 on (Kubernetes 1.32.2 and
    /// later) already do; kind's own recipe notes the patch is harmless there but only needed for older images.
    /// </summary>
    public const string LegacyCertsDirectoryPatch =
        "[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"" + CertsDirectory + "\"";

    /// <summary>The typed config for <paramref name="settings"/>.</summary>
    public static KindClusterConfig Build(EnvironmentSettings settings)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [EnvironmentSettings.EnvironmentLabel] = settings.Name,
        };
        var nodes = new List<KindNode>
        {
            new()
            {
                Role = "control-plane",
                Image = settings.NodeImage,
                Labels = labels,
                // NodePort Services answer on every node, so mappings on the control plane are enough and work the same
                // on Docker Desktop, where node IPs are not reachable from the host. One per external endpoint: kind maps
                // ports only at creation, so the range is reserved now.
                ExtraPortMappings = [.. settings.HostNodePorts.Select(port => new KindPortMapping { ContainerPort = port, HostPort = port, ListenAddress = settings.BindAddress })],
            },
        };
        for (var i = 0; i < settings.WorkerNodes; i++)
        {
            nodes.Add(new KindNode { Role = "worker", Image = settings.NodeImage, Labels = labels });
        }

        return new KindClusterConfig
        {
            Name = settings.Name,
            Nodes = nodes,
            ContainerdConfigPatches = NeedsLegacyCertsDirectoryPatch(settings.NodeImage) ? [LegacyCertsDirectoryPatch] : null,
        };
    }

    /// <summary>The config as YAML.</summary>
    public static string Render(EnvironmentSettings settings) => PlainYaml.Serialize(Build(settings));

    /// <summary>
    /// Whether a node image predates containerd reading <see cref="CertsDirectory"/> by default: Kubernetes
    /// older than 1.32.2 by its tag. An image whose version cannot be read gets the patch (harmless if not needed).
    /// </summary>
    public static bool NeedsLegacyCertsDirectoryPatch(string nodeImage)
    {
        var match = NodeVersion().Match(nodeImage);
        if (!match.Success)
        {
            return true;
        }

        var version = new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value));
        return version < new Version(1, 32, 2);
    }

    [GeneratedRegex(@":v(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex NodeVersion();
}
