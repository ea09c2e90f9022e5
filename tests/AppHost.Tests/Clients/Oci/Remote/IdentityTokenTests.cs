using System.Text;
using DevEnv.Hosting.Clients.Oci;

namespace DevEnv.AppHost.Tests.Clients.Oci.Remote;

/// <summary>
/// Issue 24 item 4 against the real TLS registry with token auth: an identity token (ACR's <c>az acr login</c>: a
/// config.json <c>identitytoken</c>, or a credential helper answering the user <c>&lt;token&gt;</c>) is exchanged at the
/// realm with the OAuth2 refresh-token POST; the token server refuses the same token sent on the GET Basic flow, so
/// these fail if the exchange is undone. A scope the token server does not grant is reported as insufficient_scope.
/// </summary>
public sealed class IdentityTokenTests
{
    private const string Identity = "acr-refresh-token-for-tests";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_identitytoken_in_the_docker_config_is_exchanged_with_the_OAuth2_POST_and_the_push_passes()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        registry.Tokens!.IdentityToken = Identity;
        using var client = registry.Client(registry.WriteIdentityTokenConfig(Identity));
        var repository = registry.Target().Repository("acr");
        var blob = Encoding.UTF8.GetBytes("pushed with an identity token");

        await client.UploadBlobAsync(repository, Digest(blob), blob.Length, () => new MemoryStream(blob), Ct);

        Assert.Equal(blob.Length, await client.GetBlobSizeAsync(repository, Digest(blob), Ct));
        Assert.True(registry.Tokens.Exchanged >= 1, "no token came from the refresh-token POST; refused: " + string.Join(" | ", registry.Tokens.Refused));
        Assert.Equal(registry.Tokens.Issued.Count, registry.Tokens.Exchanged);
    }

    [Fact]
    public async Task A_credential_helper_answering_the_token_user_is_exchanged_and_a_wrong_token_is_one_line_without_it()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        registry.Tokens!.IdentityToken = Identity;
        var config = registry.WriteIdentityTokenConfig(Identity, helper: "devenvacr");
        using var client = registry.Client(config, runner: SecureRegistry.HelperRunner(config));
        var repository = registry.Target().Repository("helper");

        Assert.Empty(await client.GetTagsAsync(repository, Ct));
        Assert.Equal(1, registry.Tokens.Exchanged);

        // The token server no longer takes it (it expired): one line that says to log in again, the token not in it.
        registry.Tokens.IdentityToken = "a-newer-token";
        var stale = registry.WriteIdentityTokenConfig(Identity, helper: "devenvacr");
        using var refused = registry.Client(stale, runner: SecureRegistry.HelperRunner(stale));
        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => refused.GetTagsAsync(registry.Target().Repository("other"), Ct));
        Assert.Contains("refused the identity token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("log in again", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Identity, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task A_push_the_token_server_does_not_grant_is_reported_as_insufficient_scope_not_a_bad_password()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        var path = registry.Target().Repository("readonly");
        registry.Tokens!.PullOnly.Add(path);
        using var client = registry.Client(registry.WriteDockerConfig());
        var blob = Encoding.UTF8.GetBytes("not allowed");

        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => client.UploadBlobAsync(path, Digest(blob), blob.Length, () => new MemoryStream(blob), Ct));

        Assert.Contains("insufficient_scope", ex.Message, StringComparison.Ordinal);
        Assert.Contains("push rights", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("check the user name and password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecureRegistry.Password, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
