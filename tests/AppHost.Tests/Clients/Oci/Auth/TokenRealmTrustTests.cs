using DevEnv.Hosting.Clients.Oci.Auth;

namespace DevEnv.AppHost.Tests.Clients.Oci.Auth;

/// <summary>Which token realms get a registry's credentials: its own host and domain (as the clouds' registries send us), listed hosts, nothing else.</summary>
public sealed class TokenRealmTrustTests
{
    [Theory]
    [InlineData("registry-1.docker.io", "https://auth.docker.io/token", true)]
    [InlineData("docker.io", "https://auth.docker.io/token", true)]
    [InlineData("registry.gitlab.com", "https://gitlab.com/jwt/auth", true)]
    [InlineData("ghcr.io", "https://ghcr.io/token", true)]
    [InlineData("myreg.azurecr.io", "https://myreg.azurecr.io/oauth2/token", true)]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5001/token", true)]
    [InlineData("registry.example.com", "https://auth.example.org/token", false)]
    [InlineData("registry.example.com", "https://example.com.evil.net/token", false)]
    [InlineData("ghcr.io", "https://auth.io/token", false)]
    [InlineData("127.0.0.1:5000", "http://127.0.0.2/token", false)]
    [InlineData("localhost:5000", "http://127.0.0.1/token", false)]
    public void Credentials_go_only_to_a_realm_under_the_registry_s_domain(string registry, string realm, bool trusted) =>
        Assert.Equal(trusted, new RegistryAuthenticator(registry, _ => Task.FromResult<RegistryCredentials?>(null)).MaySendCredentialsTo(new Uri(realm)));

    [Fact]
    public void A_listed_host_is_trusted_too() =>
        Assert.True(new RegistryAuthenticator("registry.example.com", _ => Task.FromResult<RegistryCredentials?>(null)) { TrustedTokenHosts = ["auth.example.org"] }
            .MaySendCredentialsTo(new Uri("https://auth.example.org/token")));
}
