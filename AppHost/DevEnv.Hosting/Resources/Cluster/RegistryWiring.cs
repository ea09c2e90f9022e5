using DevEnv.Hosting.Configuration;
using k8s.Models;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// kind's documented local-registry recipe, as data: a hosts.toml on every node telling containerd that
/// <c>localhost:&lt;port&gt;</c> (the name that works on the host) is the registry container on the kind network,
/// and the <c>local-registry-hosting</c> ConfigMap that tells other tools about it. Pure.
/// </summary>
public static class RegistryWiring
{
    /// <summary>Documentation linked from the ConfigMap.</summary>
    public const string HelpUrl = "https://kind.sigs.k8s.io/docs/user/local-registry/";

    /// <summary>Name of the KEP-1755 ConfigMap.</summary>
    public const string ConfigMapName = "local-registry-hosting";

    /// <summary>Namespace of the KEP-1755 ConfigMap.</summary>
    public const string ConfigMapNamespace = "kube-public";

    /// <summary>The directory on each node, e.g. /etc/containerd/certs.d/localhost:5001.</summary>
    public static string HostsDirectory(EnvironmentSettings settings) =>
        $"{KindConfigRenderer.CertsDirectory}/{settings.RegistryHostAddress}";

    /// <summary>The file on each node.</summary>
    public static string HostsFile(EnvironmentSettings settings) => HostsDirectory(settings) + "/hosts.toml";

    /// <summary>
    /// The hosts.toml content. Inside a node "localhost" is the node itself, so pulls of localhost:&lt;port&gt;/…
    /// go to the registry container by its name on the kind network, over plain HTTP.
    /// </summary>
    public static string HostsToml(EnvironmentSettings settings) =>
        $"# Written by DevEnv for environment '{settings.Name}': pull {settings.RegistryHostAddress}/* from the registry container.\n" +
        $"[host.\"http://{settings.RegistryClusterAddress}\"]\n" +
        "  capabilities = [\"pull\", \"resolve\"]\n";

    /// <summary>The <c>local-registry-hosting</c> ConfigMap in kube-public (key <c>localRegistryHosting.v1</c>).</summary>
    public static V1ConfigMap LocalRegistryHostingConfigMap(EnvironmentSettings settings) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = ConfigMapName,
            NamespaceProperty = ConfigMapNamespace,
            Labels = EnvironmentSettings.OwnedLabels(settings.Name),
        },
        Data = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["localRegistryHosting.v1"] = PlainYaml.Serialize(new LocalRegistryHosting { Host = settings.RegistryHostAddress, Help = HelpUrl }),
        },
    };
}
