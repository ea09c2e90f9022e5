using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

public sealed class RegistryWiringTests
{
    private static readonly EnvironmentSettings Settings = new() { Name = "devenv", SourceRoot = "/src" };

    [Fact]
    public void Hosts_toml_maps_localhost_port_to_the_registry_container_on_the_kind_network()
    {
        Assert.Equal("/etc/containerd/certs.d/localhost:5001/hosts.toml", RegistryWiring.HostsFile(Settings));
        var toml = RegistryWiring.HostsToml(Settings);
        Assert.Contains("[host.\"http://devenv-registry:5000\"]\n", toml);
        Assert.Contains("capabilities = [\"pull\", \"resolve\"]", toml);
    }

    [Fact]
    public void Hosts_toml_follows_the_environment_name_and_port()
    {
        var settings = Settings with { Name = "tabc", RegistryPort = 45123 };

        Assert.Equal("/etc/containerd/certs.d/localhost:45123/hosts.toml", RegistryWiring.HostsFile(settings));
        Assert.Contains("[host.\"http://tabc-registry:5000\"]", RegistryWiring.HostsToml(settings));
    }

    [Fact]
    public void The_checked_in_hosts_toml_matches_what_is_written_to_nodes()
    {
        var file = Path.Combine(EnvironmentSettings.FindSourceRoot(), "registry", "hosts.toml");

        Assert.Equal(RegistryWiring.HostsToml(Settings), File.ReadAllText(file));
    }

    [Fact]
    public void The_local_registry_hosting_config_map_follows_kep_1755_and_validates()
    {
        var yaml = ManifestYaml.Serialize(RegistryWiring.LocalRegistryHostingConfigMap(Settings));

        Assert.Equal("""
            apiVersion: v1
            data:
              localRegistryHosting.v1: |
                host: "localhost:5001"
                help: "https://kind.sigs.k8s.io/docs/user/local-registry/"
            kind: ConfigMap
            metadata:
              labels:
                app.kubernetes.io/managed-by: devenv
                dev.devenv.environment: devenv
              name: local-registry-hosting
              namespace: kube-public

            """, yaml);
        Assert.Empty(KubernetesSchema.Instance.Validate(yaml));
    }
}
