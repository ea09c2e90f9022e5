using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace DevEnv.AppHost.Tests.Clients.Oci.Remote;

/// <summary>
/// Issue 24 item 13 against the real TLS token-auth registry: answers shaped as other registries shape them (the spec
/// allows both) are read right. The registry answers every request; the test only reshapes headers of its answers.
/// </summary>
public sealed class RegistryAnswerShapesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Path_relative_upload_Locations_are_resolved_against_the_request_they_answer()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        var relative = 0;
        // The registry's absolute Locations made relative to the request's URL ("<uuid>?_state=.." after POST .../uploads/).
        using var client = ObservedClient.Create(registry, onAnswer: (request, response) =>
        {
            if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { IsAbsoluteUri: true } location)
            {
                response.Headers.Location = request.RequestUri!.MakeRelativeUri(location);
                Assert.False(response.Headers.Location.OriginalString.StartsWith('/'), response.Headers.Location.OriginalString);
                Interlocked.Increment(ref relative);
            }
        }, chunkSize: 1_000);
        var repository = registry.Target().Repository("relative");
        var small = Encoding.UTF8.GetBytes("one PUT");
        var large = new byte[2_500];
        new Random(13).NextBytes(large);

        await client.UploadBlobAsync(repository, Digest(small), small.Length, () => new MemoryStream(small), Ct);
        await client.UploadBlobAsync(repository, Digest(large), large.Length, () => new MemoryStream(large), Ct);

        Assert.Equal(small.Length, await client.GetBlobSizeAsync(repository, Digest(small), Ct));
        Assert.Equal(large, await client.GetBlobAsync(repository, Digest(large), Ct));
        Assert.Equal(1 + 1 + 3, relative); // two POSTs and three PATCHes answered with a relative Location
    }

    [Fact]
    public async Task A_401_offering_Negotiate_and_Basic_before_Bearer_is_answered_with_the_token_handshake()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        using var client = ObservedClient.Create(registry, onAnswer: (_, response) =>
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var offered = response.Headers.WwwAuthenticate.ToList();
                response.Headers.WwwAuthenticate.Clear();
                response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Negotiate"));
                response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"devenv-test\""));
                offered.ForEach(response.Headers.WwwAuthenticate.Add);
            }
        });
        var repository = registry.Target().Repository("challenges");
        var blob = Encoding.UTF8.GetBytes("after three challenges");

        await client.UploadBlobAsync(repository, Digest(blob), blob.Length, () => new MemoryStream(blob), Ct);

        Assert.Equal(blob.Length, await client.GetBlobSizeAsync(repository, Digest(blob), Ct));
        Assert.True(client.Authenticator!.TokensFetched >= 1);
    }

    [Fact]
    public async Task A_realm_on_another_host_is_not_sent_the_credentials_unless_DEVENV_REGISTRY_TOKEN_HOSTS_lists_it()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        // The registry named as localhost (its certificate names both), its realm on 127.0.0.1: another host.
        var target = DevEnv.Hosting.Configuration.RegistryTarget.Parse($"localhost:{registry.Port}/team/devenv") with { CaFile = registry.CaFile };
        var credentials = new DevEnv.Hosting.Clients.Oci.Auth.RegistryCredentials(SecureRegistry.User, SecureRegistry.Password, "test");
        DevEnv.Hosting.Clients.Oci.OciRegistryClient Client(string? tokenHosts) => DevEnv.Hosting.Clients.Oci.OciRegistryClient.ForTarget(target,
            _ => Task.FromResult<DevEnv.Hosting.Clients.Oci.Auth.RegistryCredentials?>(credentials), TimeSpan.FromSeconds(30),
            key => key == DevEnv.Hosting.Clients.Oci.Auth.RegistryAuthenticator.TokenHostsSetting ? tokenHosts : null);

        using (var withheld = Client(null))
        {
            var ex = await Assert.ThrowsAsync<DevEnv.Hosting.Clients.Oci.OciRegistryException>(() => withheld.GetTagsAsync(target.Repository("app"), Ct));
            Assert.Contains("did not send its credentials there", ex.Message, StringComparison.Ordinal);
            Assert.Contains(DevEnv.Hosting.Clients.Oci.Auth.RegistryAuthenticator.TokenHostsSetting, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(SecureRegistry.Password, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', ex.Message);
        }

        Assert.Empty(registry.Tokens!.Issued);
        using var listed = Client("127.0.0.1");
        Assert.Empty(await listed.GetTagsAsync(target.Repository("app"), Ct));
        Assert.Single(registry.Tokens.Issued);
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
