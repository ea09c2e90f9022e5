using DevEnv.AppHost.Resources.Cluster;
using DevEnv.AppHost.Resources.Image;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

public sealed class NodeArchitectureTests
{
    [Fact]
    public void Nodes_on_an_arm64_engine_with_an_x64_app_are_named_as_a_mismatch()
    {
        var mismatch = NodeArchitecture.Mismatch("arm64", ImageBuildOptions.Default.RuntimeIdentifier);

        Assert.Equal("the Docker Engine and so kind's nodes are arm64, but the app is published for linux-x64 (amd64): its pods would fail with " +
                     "\"exec format error\" or run emulated; building images for the nodes' architecture is not supported yet", mismatch);
        Assert.Null(NodeArchitecture.Mismatch("arm64", "linux-arm64"));
    }
}
