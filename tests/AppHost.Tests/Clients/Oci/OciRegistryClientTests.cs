using DevEnv.Hosting.Clients.Oci;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Registry;

namespace DevEnv.AppHost.Tests.Clients.Oci;

/// <summary>The OCI client against a real registry holding an image the daemon pushed.</summary>
public sealed class OciRegistryClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_catalog_tags_manifest_and_blob_sizes()
    {
        await using var h = new RegistryTestHarness();
        await h.StartRegistryAsync(Ct);
        var repository = await h.PushFixtureBaseAsync(Ct);
        var oci = h.Registry.Oci;

        Assert.Equal([repository], await oci.GetCatalogAsync(Ct));
        Assert.Equal(["10.0"], await oci.GetTagsAsync(repository, Ct));
        Assert.Empty(await oci.GetTagsAsync("nothing-here", Ct));
        Assert.Null(await oci.TryGetManifestAsync(repository, "no-such-tag", Ct));

        var manifest = await oci.TryGetManifestAsync(repository, "10.0", Ct);
        Assert.NotNull(manifest);
        Assert.StartsWith("sha256:", manifest.Digest);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(layer.Size, await oci.GetBlobSizeAsync(repository, layer.Digest, Ct));
        Assert.Null(await oci.GetBlobSizeAsync(repository, "sha256:" + new string('0', 64), Ct));
        var uncompressed = await oci.GetUncompressedSizeAsync(repository, layer, Ct);
        var local = await h.Env.Engine.Images.InspectImageAsync(DockerTestEnvironment.FixtureBaseImage, Ct);
        Assert.True(uncompressed > layer.Size);
        // The tar adds headers and padding to the files the daemon counts, so allow a little.
        Assert.InRange(uncompressed, local.Size, local.Size + 1_000_000);
    }
}
