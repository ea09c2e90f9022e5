using System.Net;
using System.Security.Cryptography;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;

namespace DevEnv.AppHost.Tests.Clients.Oci.Remote;

/// <summary>
/// The remote registry path against real parts: a registry container with TLS from a CA the test made and htpasswd
/// basic auth (or token auth behind a test token server); the fixture base image copied there from the local Docker
/// Engine with credentials from a docker config file; skopeo pulling it back with the same credentials.
/// </summary>
public sealed class RemoteRegistryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pushes_with_credentials_from_a_docker_config_and_skopeo_pulls_the_same_image_with_them()
    {
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        var dockerConfig = registry.WriteDockerConfig();
        using var client = registry.Client(dockerConfig);
        var target = registry.Target();

        var digest = await CopyFixtureBaseAsync(client, target.Repository("runtime-deps"), "10.0-test");

        var pulled = Path.Combine(registry.Folder, "pulled");
        var runner = new ProcessRunner();
        var copy = await runner.RunAsync(new ProcessSpec("skopeo",
        [
            "copy", "--src-authfile", Path.Combine(dockerConfig, "config.json"), "--src-cert-dir", registry.CertDirectory,
            $"docker://{target.ImageName("runtime-deps")}:10.0-test", $"dir:{pulled}",
        ]), ResourceLog.None, Ct);
        Assert.True(copy.ExitCode == 0, $"skopeo copy failed: {copy.Error}");
        var manifest = await File.ReadAllBytesAsync(Path.Combine(pulled, "manifest.json"), Ct);
        Assert.Equal(digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest)));
        var read = await client.TryGetManifestAsync(target.Repository("runtime-deps"), "10.0-test", Ct);
        foreach (var blob in read!.Blobs)
        {
            var file = Path.Combine(pulled, blob.Digest["sha256:".Length..]);
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, Ct))), blob.Digest);
        }

        // The same client copying again finds every blob there and uploads nothing new (HEAD with the cached Basic auth).
        Assert.Equal(digest, await CopyFixtureBaseAsync(client, target.Repository("runtime-deps"), "10.0-test"));
    }

    [Fact]
    public async Task A_wrong_password_fails_with_the_registrys_401_named_and_the_password_not_shown()
    {
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        using var client = registry.Client(registry.WriteDockerConfig(password: "wrong-password-123"));

        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => client.UploadBlobAsync(registry.Target().Repository("x"), "sha256:" + new string('0', 64), 1, () => new MemoryStream([1]), Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains($"Registry {registry.Host}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", ex.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DEVENV_REGISTRY_USERNAME/PASSWORD", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task Without_the_CA_the_push_fails_naming_DEVENV_REGISTRY_CA_FILE_and_never_falls_back_to_plain_http()
    {
        await using var registry = await SecureRegistry.StartWithHtpasswdAsync(Ct);
        var dockerConfig = registry.WriteDockerConfig();
        using var client = registry.Client(dockerConfig, registry.Target(withCa: false));

        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => client.GetTagsAsync(registry.Target().Repository("x"), Ct));

        Assert.Contains("signed by an unknown CA", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DEVENV_REGISTRY_CA_FILE", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(Uri.UriSchemeHttps, client.BaseAddress.Scheme);

        // With the CA the same request works.
        using var trusted = registry.Client(dockerConfig);
        Assert.Empty(await trusted.GetTagsAsync(registry.Target().Repository("x"), Ct));
    }

    [Fact]
    public async Task Token_auth_handshake_against_a_test_token_server_in_front_of_the_same_registry_caches_a_token_per_scope()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        using var client = registry.Client(registry.WriteDockerConfig());
        var target = registry.Target();

        var digest = await CopyFixtureBaseAsync(client, target.Repository("runtime-deps"), "10.0-test");
        // A mount from that repository into another needs a token for both scopes (pull,push here, pull there).
        var layer = (await client.TryGetManifestAsync(target.Repository("runtime-deps"), "10.0-test", Ct))!.Layers[0];
        Assert.True(await client.TryMountBlobAsync(target.Repository("sampleapi"), layer.Digest, target.Repository("runtime-deps"), Ct));

        var issued = registry.Tokens!.Issued.ToArray();
        Assert.Empty(registry.Tokens.Refused);
        Assert.Equal(issued.Length, issued.Distinct().Count());
        Assert.Contains($"repository:{target.Repository("runtime-deps")}:pull,push", issued);
        Assert.Contains(issued, s => s.Contains($"repository:{target.Repository("sampleapi")}:pull,push", StringComparison.Ordinal)
            && s.Contains($"repository:{target.Repository("runtime-deps")}:pull", StringComparison.Ordinal));
        Assert.Equal(issued.Length, client.Authenticator!.TokensFetched);
        Assert.StartsWith("sha256:", digest, StringComparison.Ordinal);

        // Wrong credentials: the token server's 401 is named with the registry and what to fix.
        using var wrong = registry.Client(registry.WriteDockerConfig(password: "not-it-456"));
        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => wrong.GetTagsAsync(target.Repository("runtime-deps"), Ct));
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.Contains(registry.Host, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-it-456", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loopback_registry_without_TLS_is_reached_over_plain_http_only_when_the_fallback_is_allowed()
    {
        await using var registry = await SecureRegistry.StartPlainAsync(Ct);
        var target = registry.Target(withCa: false);
        using var client = registry.Client(registry.WriteDockerConfig(), target);

        Assert.Empty(await client.GetTagsAsync(target.Repository("x"), Ct));
        Assert.Equal(Uri.UriSchemeHttp, client.BaseAddress.Scheme);

        // A host that is neither loopback nor DEVENV_REGISTRY_INSECURE=1 gets no fallback: the TLS failure is the answer.
        var certificates = new DevEnv.Hosting.Clients.Oci.Tls.RegistryCertificateValidator(null);
        using var strict = new OciRegistryClient(target.BaseAddress, certificates.CreateHandler(), TimeSpan.FromSeconds(10)) { Certificates = certificates, AllowPlainHttpFallback = false };
        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => strict.GetTagsAsync(target.Repository("x"), Ct));
        Assert.Contains("does not answer", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Uri.UriSchemeHttps, strict.BaseAddress.Scheme);
    }

    // The production path for a base image on a remote registry: the engine's saved image, pushed through our client.
    private static Task<string> CopyFixtureBaseAsync(IOciRegistryClient client, string repository, string tag) =>
        EngineImages.CopyToRegistryAsync(DockerTestEnvironment.FixtureBaseImage, client, repository, tag, Ct);
}
