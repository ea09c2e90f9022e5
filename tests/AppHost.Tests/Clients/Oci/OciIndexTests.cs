using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;

namespace DevEnv.AppHost.Tests.Clients.Oci;

public sealed class OciIndexTests
{
    private const string Manifest = "application/vnd.oci.image.manifest.v1+json";

    // As a multi-platform runtime-deps index lists them: amd64, arm64 (with variant v8), arm/v7, and an attestation.
    private static readonly OciIndexEntry[] Entries =
    [
        new(Manifest, "sha256:aaa", 1, new ImagePlatform("linux", "amd64")),
        new(Manifest, "sha256:bbb", 2, new ImagePlatform("linux", "arm64")),
        new(Manifest, "sha256:ccc", 3, new ImagePlatform("linux", "arm")),
        new(Manifest, "sha256:ddd", 4, new ImagePlatform("unknown", "unknown")),
        new(Manifest, "sha256:eee", 5, null),
    ];

    [Fact]
    public void Each_platform_gets_its_own_manifest()
    {
        Assert.Equal("sha256:aaa", OciIndex.Pick(Entries, ImagePlatform.LinuxAmd64)!.Digest);
        Assert.Equal("sha256:bbb", OciIndex.Pick(Entries, ImagePlatform.LinuxArm64)!.Digest);
    }

    [Fact]
    public void A_platform_the_index_lacks_gets_nothing_and_the_index_says_what_it_has()
    {
        OciIndexEntry[] amd64Only = [Entries[0], Entries[4]];

        Assert.Null(OciIndex.Pick(amd64Only, ImagePlatform.LinuxArm64));
        Assert.Equal("linux/amd64", OciIndex.Describe(amd64Only));
        Assert.Equal("linux/amd64, linux/arm64, linux/arm, unknown/unknown", OciIndex.Describe(Entries));
    }
}
