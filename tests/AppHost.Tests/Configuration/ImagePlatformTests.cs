using DevEnv.Hosting.Configuration;

namespace DevEnv.AppHost.Tests.Configuration;

public sealed class ImagePlatformTests
{
    [Theory]
    [InlineData("linux", "amd64", "linux-x64")]
    [InlineData("linux", "arm64", "linux-arm64")]
    [InlineData("linux", "x86_64", "linux-x64")]
    [InlineData("linux", "aarch64", "linux-arm64")]
    [InlineData(null, "arm64", "linux-arm64")]
    public void An_engine_architecture_maps_to_the_runtime_identifier_the_app_is_published_for(string? os, string arch, string rid)
    {
        var platform = ImagePlatform.OfEngine(os, arch);

        Assert.Equal(rid, platform.RuntimeIdentifier);
        Assert.Equal(platform, ImagePlatform.OfRuntimeIdentifier(rid));
    }

    [Theory]
    [InlineData("s390x")]
    [InlineData("ppc64le")]
    [InlineData("riscv64")]
    public void An_architecture_without_a_mapped_runtime_has_none(string arch) =>
        Assert.Null(ImagePlatform.OfEngine("linux", arch).RuntimeIdentifier);

    [Fact]
    public void DEVENV_PLATFORMS_is_sorted_and_without_repeats_so_the_same_set_gives_the_same_index()
    {
        Assert.Equal([ImagePlatform.LinuxAmd64, ImagePlatform.LinuxArm64], ImagePlatform.ParseList("linux/arm64, linux/amd64,linux/arm64/v8"));
        Assert.Equal([ImagePlatform.LinuxArm64], EnvironmentSettings.FromEnvironment(k => k == "DEVENV_PLATFORMS" ? "linux/arm64" : null).Platforms);
        Assert.Empty(EnvironmentSettings.FromEnvironment(_ => null).Platforms);
    }

    [Fact]
    public void A_platform_DevEnv_cannot_build_for_is_refused_in_one_line()
    {
        var ex = Assert.Throws<ArgumentException>(() => EnvironmentSettings.FromEnvironment(k => k == "DEVENV_PLATFORMS" ? "linux/amd64,linux/s390x" : null));

        Assert.Equal("DEVENV_PLATFORMS entry 'linux/s390x' is not a platform DevEnv builds for (use linux/amd64, linux/arm64, comma-separated).", ex.Message);
        Assert.Throws<ArgumentException>(() => ImagePlatform.ParseList("arm64"));
    }
}
