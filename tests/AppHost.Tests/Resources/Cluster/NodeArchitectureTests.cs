using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Cluster;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

public sealed class NodeArchitectureTests
{
    [Fact]
    public void Nodes_of_either_supported_architecture_need_nothing_when_the_image_is_built_for_the_engine()
    {
        Assert.Null(NodeArchitecture.Mismatch("arm64", []));
        Assert.Null(NodeArchitecture.Mismatch("amd64", []));
        Assert.Null(NodeArchitecture.Mismatch("arm64", [ImagePlatform.LinuxAmd64, ImagePlatform.LinuxArm64]));
    }

    [Fact]
    public void Platforms_that_leave_the_nodes_out_are_named_as_a_mismatch_with_what_to_do()
    {
        Assert.Equal("the Docker Engine and so kind's nodes are arm64, but DEVENV_PLATFORMS=linux/amd64 leaves out linux/arm64: its pods would fail with " +
                     "\"exec format error\" or run emulated; add linux/arm64 to DEVENV_PLATFORMS or leave it unset (the nodes' platform)",
            NodeArchitecture.Mismatch("arm64", [ImagePlatform.LinuxAmd64]));
    }

    [Fact]
    public void An_engine_architecture_without_a_dotnet_runtime_is_named()
    {
        Assert.Equal("the Docker Engine and so kind's nodes are s390x: DevEnv builds .NET images for linux/amd64 and linux/arm64 only, so its pods could not run there",
            NodeArchitecture.Mismatch("s390x", []));
    }
}
