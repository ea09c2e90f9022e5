using System.Text;
using System.Text.Json.Nodes;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.AppHost.Tests.Resources.Image.Pipeline;

public sealed class ImageDocumentsTests
{
    [Fact]
    public void The_image_index_is_byte_stable_with_each_manifest_and_its_platform()
    {
        (ImagePlatform, OciDescriptor)[] manifests =
        [
            (ImagePlatform.LinuxAmd64, new OciDescriptor(ImageDocuments.ManifestMediaType, "sha256:" + new string('a', 64), 1234)),
            (ImagePlatform.LinuxArm64, new OciDescriptor(ImageDocuments.ManifestMediaType, "sha256:" + new string('b', 64), 1240)),
        ];

        var index = ImageDocuments.Index(manifests);

        // System.Text.Json's default encoder writes '+' as \u002B, as in the manifests we already push (valid JSON; the
        // bytes are what the digest is of).
        Assert.Equal(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1\\u002Bjson\",\"manifests\":["
            + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1\\u002Bjson\",\"digest\":\"sha256:" + new string('a', 64) + "\",\"size\":1234,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
            + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1\\u002Bjson\",\"digest\":\"sha256:" + new string('b', 64) + "\",\"size\":1240,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}",
            Encoding.UTF8.GetString(index));
        Assert.Equal(index, ImageDocuments.Index(manifests));
        Assert.Equal(ImageDocuments.Digest(index), ImageDocuments.Digest(ImageDocuments.Index(manifests)));
    }

    [Fact]
    public void The_config_says_the_platform_the_app_was_published_for()
    {
        var baseConfig = """{"architecture":"arm64","variant":"v8","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray();

        var config = JsonNode.Parse(ImageDocuments.Config(baseConfig, [], "SampleApi", ImagePlatform.LinuxArm64))!;

        Assert.Equal("arm64", config["architecture"]!.GetValue<string>());
        Assert.Equal("v8", config["variant"]!.GetValue<string>());
        Assert.Equal("linux", config["os"]!.GetValue<string>());
        // A base config that names no platform gets the app's.
        Assert.Equal("arm64", JsonNode.Parse(ImageDocuments.Config("{}"u8.ToArray(), [], "SampleApi", ImagePlatform.LinuxArm64))!["architecture"]!.GetValue<string>());
    }

    [Fact]
    public void A_base_config_of_another_platform_is_told_apart()
    {
        Assert.Equal("linux/amd64", LayeredImageBuilder.BasePlatformMismatch("""{"architecture":"amd64","os":"linux"}"""u8.ToArray(), ImagePlatform.LinuxArm64));
        Assert.Null(LayeredImageBuilder.BasePlatformMismatch("""{"architecture":"arm64","os":"linux"}"""u8.ToArray(), ImagePlatform.LinuxArm64));
        Assert.Null(LayeredImageBuilder.BasePlatformMismatch("{}"u8.ToArray(), ImagePlatform.LinuxArm64));
    }
}
