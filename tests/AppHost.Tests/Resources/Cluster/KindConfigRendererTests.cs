using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Cluster;
using YamlDotNet.RepresentationModel;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

public sealed class KindConfigRendererTests
{
    private static readonly EnvironmentSettings Settings = new() { Name = "devenv", SourceRoot = "/src", NodeImage = KindConfigRenderer.PinnedNodeImage, NodePortCount = 2 };

    [Fact]
    public void Renders_kinds_config_with_pinned_image_workers_port_mapping_and_labels()
    {
        var yaml = KindConfigRenderer.Render(Settings);

        Assert.Equal($$"""
            kind: Cluster
            apiVersion: kind.x-k8s.io/v1alpha4
            name: devenv
            nodes:
            - role: control-plane
              image: "{{KindConfigRenderer.PinnedNodeImage}}"
              labels:
                dev.devenv.environment: devenv
              extraPortMappings:
              - containerPort: 31000
                hostPort: 31000
                listenAddress: "127.0.0.1"
                protocol: TCP
              - containerPort: 31001
                hostPort: 31001
                listenAddress: "127.0.0.1"
                protocol: TCP
            - role: worker
              image: "{{KindConfigRenderer.PinnedNodeImage}}"
              labels:
                dev.devenv.environment: devenv
            - role: worker
              image: "{{KindConfigRenderer.PinnedNodeImage}}"
              labels:
                dev.devenv.environment: devenv

            """, yaml);
    }

    [Fact]
    public void Rendering_is_pure_and_byte_identical()
    {
        var first = KindConfigRenderer.Render(Settings);
        var second = KindConfigRenderer.Render(Settings with { });

        Assert.Equal(first, second);
    }

    [Fact]
    public void Worker_count_name_and_ports_follow_the_settings()
    {
        var config = KindConfigRenderer.Build(Settings with { Name = "t1234abcd", WorkerNodes = 0, NodePort = 32123, NodePortCount = 1 });

        var node = Assert.Single(config.Nodes);
        Assert.Equal("control-plane", node.Role);
        Assert.Equal("t1234abcd", config.Name);
        var mapping = Assert.Single(node.ExtraPortMappings!);
        Assert.Equal((32123, 32123, "127.0.0.1", "TCP"), (mapping.ContainerPort, mapping.HostPort, mapping.ListenAddress, mapping.Protocol));
    }

    [Fact]
    public void Every_node_port_of_the_reserved_range_is_published_on_loopback_only()
    {
        var config = KindConfigRenderer.Build(Settings with { NodePort = 31000, NodePortCount = 10 });

        var mappings = config.Nodes.Single(n => n.Role == "control-plane").ExtraPortMappings!;
        Assert.Equal(Enumerable.Range(31000, 10), mappings.Select(m => m.HostPort));
        Assert.All(mappings, m => Assert.Equal((m.HostPort, "127.0.0.1"), (m.ContainerPort, m.ListenAddress)));
    }

    [Fact]
    public void The_pinned_image_carries_a_digest_and_the_default_settings_use_it()
    {
        Assert.Matches(@"^kindest/node:v1\.36\.\d+@sha256:[0-9a-f]{64}$", KindConfigRenderer.PinnedNodeImage);
        Assert.Equal(KindConfigRenderer.PinnedNodeImage, new EnvironmentSettings().NodeImage);
    }

    [Theory]
    [InlineData("kindest/node:v1.36.1@sha256:3489", false)]
    [InlineData("kindest/node:v1.32.2", false)]
    [InlineData("kindest/node:v1.32.0", true)]
    [InlineData("kindest/node:v1.29.14", true)]
    [InlineData("my/node:custom", true)]
    public void The_containerd_config_path_patch_is_only_for_old_node_images(string image, bool patched)
    {
        var config = KindConfigRenderer.Build(Settings with { NodeImage = image });

        if (patched)
        {
            var patch = Assert.Single(config.ContainerdConfigPatches!);
            Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".registry]", patch);
            Assert.Contains("config_path = \"/etc/containerd/certs.d\"", patch);
            Assert.Contains("containerdConfigPatches:\n- |-\n  [plugins.", KindConfigRenderer.Render(Settings with { NodeImage = image }));
        }
        else
        {
            Assert.Null(config.ContainerdConfigPatches);
            Assert.DoesNotContain("containerdConfigPatches", KindConfigRenderer.Render(Settings with { NodeImage = image }));
        }
    }

    [Fact]
    public void The_config_parses_back_as_yaml_with_the_same_values()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(KindConfigRenderer.Render(Settings)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;

        var nodes = (YamlSequenceNode)root["nodes"];
        Assert.Equal(3, nodes.Children.Count);
        Assert.Equal(KindConfigRenderer.PinnedNodeImage, ((YamlScalarNode)nodes[0]["image"]).Value);
        Assert.Equal("127.0.0.1", ((YamlScalarNode)((YamlSequenceNode)nodes[0]["extraPortMappings"])[0]["listenAddress"]).Value);
    }
}
