using DevEnv.Hosting.Clients.Oci.Auth;

namespace DevEnv.AppHost.Tests.Clients.Oci.Auth;

/// <summary>The token scope of each request and the parse of the challenge that asks for it.</summary>
public sealed class RegistryScopeTests
{
    [Theory]
    [InlineData("GET", "v2/team/devenv/sampleapi/manifests/src-1", "repository:team/devenv/sampleapi:pull")]
    [InlineData("HEAD", "v2/team/app/blobs/sha256:ab", "repository:team/app:pull")]
    [InlineData("PUT", "v2/team/app/manifests/src-1", "repository:team/app:pull,push")]
    [InlineData("POST", "v2/team/app/blobs/uploads/?mount=sha256%3Aab&from=team%2Fbase", "repository:team/app:pull,push repository:team/base:pull")]
    [InlineData("PATCH", "https://r.io/v2/team/app/blobs/uploads/0f3a?_state=x", "repository:team/app:pull,push")]
    [InlineData("GET", "v2/team/app/tags/list", "repository:team/app:pull")]
    [InlineData("GET", "v2/_catalog?n=1000", "registry:catalog:*")]
    [InlineData("GET", "v2/", "")]
    public void The_scope_follows_from_method_and_path(string method, string address, string scope)
    {
        Assert.Equal(scope, RegistryScope.For(new HttpMethod(method), new Uri(address, UriKind.RelativeOrAbsolute)));
    }

    [Theory]
    [InlineData("repository:team/app:pull,push|repository:team/app:push,pull", "repository:team/app:pull,push")]
    [InlineData("repository:team/app:pull|repository:team/app:push,pull", "repository:team/app:pull,push")]
    [InlineData("repository:team/app:pull,push repository:team/base:pull|repository:team/base:pull repository:team/app:push,pull",
        "repository:team/app:pull,push repository:team/base:pull")]
    [InlineData("repository:localhost:5000/app:pull|", "repository:localhost:5000/app:pull")]
    [InlineData("registry:catalog:*|registry:catalog:*", "registry:catalog:*")]
    [InlineData("repository:team/app:delete,pull|repository:team/app:push", "repository:team/app:pull,push,delete")]
    [InlineData("|", "")]
    public void Our_scope_and_the_challenges_are_asked_once_per_resource_with_the_union_of_actions_in_one_order(string ourAndChallenge, string expected)
    {
        var parts = ourAndChallenge.Split('|');

        Assert.Equal(expected, string.Join(' ', RegistryScope.Union(parts)));
    }

    [Fact]
    public void A_bearer_challenge_gives_realm_service_and_scope_with_quotes_and_commas_inside()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:team/app:pull,push\",error=insufficient_scope");

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.example.com/token", challenge["realm"]);
        Assert.Equal("registry.example.com", challenge["service"]);
        Assert.Equal("repository:team/app:pull,push", challenge["scope"]);
        Assert.Equal("insufficient_scope", challenge["error"]);
        Assert.False(AuthChallenge.Parse("Basic", "realm=\"x\"").IsBearer);
    }
}
