using System.Net.Http.Headers;

namespace DevEnv.Hosting.Clients.Oci.Auth;

/// <summary>
/// The request that asks a registry's token realm for a token, in the one of the distribution token spec's two forms the
/// credentials call for: GET realm?service=..&amp;scope=.. with Basic user:password (the classic flow), or, for an
/// identity token (<see cref="RegistryCredentials.IsIdentityToken"/>, what ACR's <c>az acr login</c> leaves), the OAuth2
/// POST of a form with grant_type=refresh_token, the refresh token, service, the scopes space-separated and a client_id.
/// A refresh token is never sent as a Basic password: token servers that issue them (ACR) refuse that.
/// </summary>
public static class TokenRequest
{
    /// <summary>The client_id the OAuth2 flow names (the spec asks for one; docker sends "docker").</summary>
    public const string ClientId = "devenv";

    /// <summary>Builds the request to <paramref name="realm"/> for <paramref name="scopes"/> (see <see cref="RegistryScope.Union"/>).</summary>
    public static HttpRequestMessage Create(Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredentials? credentials)
    {
        if (credentials is { IsIdentityToken: true })
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"),
                new("refresh_token", credentials.Secret),
                new("client_id", ClientId),
            };
            if (service is not null)
            {
                form.Add(new("service", service));
            }

            if (scopes.Count > 0)
            {
                form.Add(new("scope", string.Join(' ', scopes)));
            }

            return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        }

        var query = string.Join('&', new[] { service is not null ? "service=" + Uri.EscapeDataString(service) : null }
            .Concat(scopes.Select(x => "scope=" + Uri.EscapeDataString(x))).Where(x => x is not null));
        var address = new UriBuilder(realm) { Query = string.IsNullOrEmpty(realm.Query) ? query : realm.Query.TrimStart('?') + "&" + query }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicValue);
        }

        return request;
    }
}
