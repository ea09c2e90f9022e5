using System.Collections.Concurrent;
using System.Net;
using System.Text;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Clients.Oci.Tls;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.AppHost.Tests.Clients.Oci.Remote;

/// <summary>
/// Issue 24 against real parts: the TLS registry container (htpasswd or token auth), Debian's tinyproxy with proxy
/// credentials. Where a test watches or disturbs the traffic it does so in a handler around the real
/// SocketsHttpHandler, and the real registry answers every request that is passed on.
/// </summary>
public sealed class RegistryClientCloudTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pushes_go_through_an_authenticating_proxy_and_NO_PROXY_sends_them_direct()
    {
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        using var proxy = await TestTinyproxy.StartAsync(Ct);
        var target = registry.Target();
        var blob = Encoding.UTF8.GetBytes("through the proxy");
        var digest = Digest(blob);

        using (var proxied = Client(registry, key => key == "HTTPS_PROXY" ? proxy.Url : null))
        {
            await proxied.UploadBlobAsync(target.Repository("p"), digest, blob.Length, () => new MemoryStream(blob), Ct);
            Assert.Equal(blob.Length, await proxied.GetBlobSizeAsync(target.Repository("p"), digest, Ct));
        }

        Assert.Contains($"CONNECT {registry.Host}", proxy.Log, StringComparison.Ordinal);
        var connects = Count(proxy.Log, "CONNECT ");

        using (var direct = Client(registry, key => key switch { "HTTPS_PROXY" => proxy.Url, "NO_PROXY" => "localhost,127.0.0.1", _ => null }))
        {
            Assert.Equal(blob.Length, await direct.GetBlobSizeAsync(target.Repository("p"), digest, Ct));
        }

        Assert.Equal(connects, Count(proxy.Log, "CONNECT "));

        // A wrong proxy password: one line naming HTTPS_PROXY, the password not shown.
        using var refused = Client(registry, key => key == "HTTPS_PROXY" ? $"http://{TestTinyproxy.User}:wrong-proxy-pw@127.0.0.1:{proxy.Port}" : null);
        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => refused.GetTagsAsync(target.Repository("p"), Ct));
        Assert.Contains("HTTPS_PROXY", ex.Message, StringComparison.Ordinal);
        Assert.Contains("407", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-proxy-pw", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task A_40_MiB_layer_goes_up_in_one_PUT_without_chunks()
    {
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        var seen = new ConcurrentQueue<string>();
        using var client = ObservedClient.Create(registry, (request, _) =>
        {
            seen.Enqueue(request.Method.Method);
            return null;
        });
        var file = Path.Combine(registry.Folder, "layer.bin");
        var bytes = new byte[40 * 1024 * 1024];
        new Random(24).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes, Ct);
        var digest = Digest(bytes);

        await client.UploadBlobAsync(registry.Target().Repository("big"), digest, bytes.Length, () => File.OpenRead(file), Ct);

        Assert.Equal(bytes.Length, await client.GetBlobSizeAsync(registry.Target().Repository("big"), digest, Ct));
        Assert.DoesNotContain("PATCH", seen);
        Assert.Contains("PUT", seen);
    }

    [Fact]
    public async Task A_monolithic_PUT_refused_with_413_goes_up_again_in_chunks()
    {
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        var patches = 0;
        // A registry that takes no single PUT over 1 MiB (it wants chunks); everything else reaches the real registry.
        using var client = ObservedClient.Create(registry, (request, _) =>
        {
            if (request.Method == HttpMethod.Patch)
            {
                Interlocked.Increment(ref patches);
            }

            return request.Method == HttpMethod.Put && request.Content?.Headers.ContentLength > 1024 * 1024
                ? new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge) { RequestMessage = request, Content = new StringContent("<html>413 Request Entity Too Large</html>") }
                : null;
        });
        var bytes = new byte[OciRegistryClient.FallbackChunkSize + 1024];
        new Random(413).NextBytes(bytes);
        var repository = registry.Target().Repository("limited");

        await client.UploadBlobAsync(repository, Digest(bytes), bytes.Length, () => new MemoryStream(bytes), Ct);

        Assert.Equal(2, patches);
        Assert.Equal(bytes, await client.GetBlobAsync(repository, Digest(bytes), Ct));
    }

    [Fact]
    public async Task A_registry_answering_503_twice_then_201_gets_the_blob_pushed_once()
    {
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        var refusals = 0;
        var passedPuts = 0;
        using var client = ObservedClient.Create(registry, (request, _) =>
        {
            if (request.Method != HttpMethod.Put)
            {
                return null;
            }

            if (Interlocked.Increment(ref refusals) <= 2)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
            }

            Interlocked.Increment(ref passedPuts);
            return null;
        }, retryDelay: TimeSpan.FromMilliseconds(50));
        var blob = Encoding.UTF8.GetBytes("retried blob");
        var digest = Digest(blob);

        await client.UploadBlobAsync(registry.Target().Repository("r"), digest, blob.Length, () => new MemoryStream(blob), Ct);

        Assert.Equal(blob.Length, await client.GetBlobSizeAsync(registry.Target().Repository("r"), digest, Ct));
        Assert.Equal(2, client.RetriesMade);
        Assert.Equal(1, passedPuts);
    }

    [Fact]
    public async Task An_expired_token_is_fetched_again_and_a_rotated_helper_password_is_read_again()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        registry.Tokens!.ExpiresIn = 1;
        var dockerConfig = registry.WriteDockerConfig();
        using var client = registry.Client(dockerConfig);
        var repository = registry.Target().Repository("t");

        Assert.Empty(await client.GetTagsAsync(repository, Ct));
        Assert.Equal(1, client.Authenticator!.TokensFetched);
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Assert.Empty(await client.GetTagsAsync(repository, Ct));
        Assert.Equal(2, client.Authenticator.TokensFetched);

        // The helper's secret rotates (ECR/ACR/GAR tokens expire): the old one is refused, the new one is in the config.
        registry.Tokens.AcceptOnly(SecureRegistry.User, "rotated-Pa55");
        File.Delete(Path.Combine(dockerConfig, "config.json"));
        File.Move(Path.Combine(registry.WriteDockerConfig("rotated-Pa55"), "config.json"), Path.Combine(dockerConfig, "config.json"));
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        var blob = Encoding.UTF8.GetBytes("after rotation");
        await client.UploadBlobAsync(repository, Digest(blob), blob.Length, () => new MemoryStream(blob), Ct);
        Assert.Equal(blob.Length, await client.GetBlobSizeAsync(repository, Digest(blob), Ct));
    }

    [Fact]
    public async Task A_mount_the_registry_refuses_with_401_falls_back_to_an_upload()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        var from = registry.Target().Repository("base");
        var mounts = new ConcurrentQueue<HttpStatusCode>();
        using var client = ObservedClient.Create(registry, onAnswer: (request, response) =>
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.Query.Contains("mount=", StringComparison.Ordinal))
            {
                mounts.Enqueue(response.StatusCode);
            }
        });
        var blob = Encoding.UTF8.GetBytes("a base layer");
        var layer = new OciDescriptor("application/vnd.oci.image.layer.v1.tar+gzip", Digest(blob), blob.Length);
        await client.UploadBlobAsync(from, layer.Digest, blob.Length, () => new MemoryStream(blob), Ct);

        // The token server grants pull on the source only in a token for it alone: the registry refuses the mount
        // (401 insufficient_scope, twice: once more after a fresh token), and the layer is copied through this machine.
        registry.Tokens!.NoMountFrom.Add(from);
        var pusher = new BlobPusher(client, registry.Target().Repository("app"));
        await pusher.PushBaseLayerAsync(layer, from, Ct);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], mounts);
        Assert.Equal((0, 1), (pusher.MountedBlobs, pusher.UploadedBlobs));
        Assert.Equal(blob.Length, await client.GetBlobSizeAsync(registry.Target().Repository("app"), layer.Digest, Ct));

        // The same push where the token server allows the mount: mounted, nothing uploaded (the refusal above was the token's).
        registry.Tokens.NoMountFrom.Clear();
        var allowed = new BlobPusher(client, registry.Target().Repository("app2"));
        await allowed.PushBaseLayerAsync(layer, from, Ct);
        Assert.Equal((1, 0), (allowed.MountedBlobs, allowed.UploadedBlobs));
        Assert.Equal(HttpStatusCode.Created, mounts.Last());
    }

    [Fact]
    public async Task A_declined_mount_whose_upload_session_DELETE_answers_405_does_not_fail_the_push()
    {
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        var deletes = 0;
        using var client = ObservedClient.Create(registry, (request, _) =>
        {
            // A registry without DELETE on upload sessions (the real one answers 204); everything else goes to it.
            if (request.Method != HttpMethod.Delete)
            {
                return null;
            }

            Interlocked.Increment(ref deletes);
            return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = request, Content = new StringContent("no DELETE here") };
        });
        var blob = Encoding.UTF8.GetBytes("not in the source");
        var repository = registry.Target().Repository("app");

        // The source lacks the blob: the real registry declines the mount with 202 and an upload session, which we close.
        Assert.False(await client.TryMountBlobAsync(repository, Digest(blob), registry.Target().Repository("empty"), Ct));
        Assert.Equal(1, deletes);
        await client.UploadBlobAsync(repository, Digest(blob), blob.Length, () => new MemoryStream(blob), Ct);
        Assert.Equal(blob.Length, await client.GetBlobSizeAsync(repository, Digest(blob), Ct));
    }

    private static OciRegistryClient Client(SecureRegistry registry, Func<string, string?> settings)
    {
        var target = registry.Target();
        var credentials = new RegistryCredentials(SecureRegistry.User, SecureRegistry.Password, "test");
        return OciRegistryClient.ForTarget(target, _ => Task.FromResult<RegistryCredentials?>(credentials), TimeSpan.FromSeconds(30), settings);
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
