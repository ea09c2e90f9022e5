using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.AppHost.Tests.Resources.Registry;

namespace DevEnv.AppHost.Tests.Clients.Oci;

/// <summary>The push side of the OCI client against the real registry, and what a registry that never answers gives.</summary>
public sealed class OciRegistryClientPushTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uploads_monolithic_and_chunked_mounts_across_repositories_and_puts_a_manifest()
    {
        await using var h = new RegistryTestHarness();
        await h.StartRegistryAsync(Ct);
        var baseRepository = await h.PushFixtureBaseAsync(Ct);
        var baseLayer = (await h.Registry.Oci.TryGetManifestAsync(baseRepository, "10.0", Ct))!.Layers[0];
        using var oci = new OciRegistryClient(h.Registry.Oci.BaseAddress) { ChunkSize = 1_000 };

        // Monolithic (at most one chunk) and chunked (three PATCHes of 1,000 bytes or less): the registry checks the digest.
        var small = Encoding.UTF8.GetBytes("{\"a\":1}");
        var large = RandomNumberGenerator.GetBytes(2_500);
        await oci.UploadBlobAsync("pushed", Digest(small), small.Length, () => new MemoryStream(small), Ct);
        await oci.UploadBlobAsync("pushed", Digest(large), large.Length, () => new MemoryStream(large), Ct);
        Assert.Equal(small.Length, await oci.GetBlobSizeAsync("pushed", Digest(small), Ct));
        Assert.Equal(large, await oci.GetBlobAsync("pushed", Digest(large), Ct));
        var wrong = await Assert.ThrowsAsync<OciRegistryException>(() => oci.UploadBlobAsync("pushed", Digest(large), small.Length, () => new MemoryStream(small), Ct));
        Assert.DoesNotContain('\n', wrong.Message);

        // A mount links a blob the registry has under another repository; from one that lacks it, the registry declines.
        Assert.Null(await oci.GetBlobSizeAsync("pushed", baseLayer.Digest, Ct));
        Assert.True(await oci.TryMountBlobAsync("pushed", baseLayer.Digest, baseRepository, Ct));
        Assert.Equal(baseLayer.Size, await oci.GetBlobSizeAsync("pushed", baseLayer.Digest, Ct));
        Assert.False(await oci.TryMountBlobAsync("other", Digest(large), "nothing-here", Ct));

        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Digest(small)}}","size":{{small.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{baseLayer.Digest}}","size":{{baseLayer.Size}}}]}""");
        Assert.Equal(Digest(manifest), await oci.PutManifestAsync("pushed", "t1", "application/vnd.oci.image.manifest.v1+json", manifest, Ct));
        var read = await oci.TryGetManifestAsync("pushed", "t1", Ct);
        Assert.Equal(Digest(manifest), read!.Digest);
        Assert.Equal(baseLayer.Digest, Assert.Single(read.Layers).Digest);
    }

    [Fact]
    public async Task A_registry_that_accepts_but_never_answers_gives_one_registry_error_not_a_cancellation()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await listener.AcceptTcpClientAsync(Ct));
            }
        }, Ct);
        using var oci = new OciRegistryClient(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"), timeout: TimeSpan.FromSeconds(1));

        var manifest = await Assert.ThrowsAsync<OciRegistryException>(() => oci.TryGetManifestAsync("sampleapi", "src-1", Ct));
        var size = await Assert.ThrowsAsync<OciRegistryException>(() => oci.GetUncompressedSizeAsync("sampleapi", new OciDescriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:1", 1), Ct));
        var upload = await Assert.ThrowsAsync<OciRegistryException>(() => oci.UploadBlobAsync("sampleapi", "sha256:1", 1, () => new MemoryStream([1]), Ct));

        Assert.False(await oci.PingAsync(Ct));
        foreach (var ex in new[] { manifest, size, upload })
        {
            Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);
            Assert.Contains("within 1 s", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', ex.Message);
            Assert.Null(ex.StatusCode);
        }

        listener.Stop();
        await accepting.ContinueWith(_ => { }, CancellationToken.None);
        accepted.ForEach(c => c.Dispose());
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
