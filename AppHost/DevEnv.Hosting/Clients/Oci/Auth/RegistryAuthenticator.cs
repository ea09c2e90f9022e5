using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace DevEnv.Hosting.Clients.Oci.Auth;

/// <summary>
/// Answers a registry's 401: Basic with the credentials, or the distribution token handshake (GET the challenge's realm
/// with service and scope, Basic credentials when there are any, a token back), a token cached per scope so each
/// repository and action asks once. Credentials are looked up once, when the registry first asks. Nothing here logs.
/// </summary>
/// <param name="host">The registry host[:port] the credentials are for.</param>
/// <param name="findCredentials">Where the credentials come from (see <see cref="DockerCredentialSource"/>); null result: anonymous.</param>
public sealed class RegistryAuthenticator(string host, Func<CancellationToken, Task<RegistryCredentials?>> findCredentials)
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RegistryCredentials? _credentials;
    private bool _looked;
    private bool _basic;

    /// <summary>The registry host.</summary>
    public string Host => host;

    /// <summary>For error messages: where the credentials came from, or that there were none. Never the secret.</summary>
    public string CredentialsDescription => _credentials is { } c ? c.ToString() : _looked ? "no credentials (anonymous)" : "credentials not looked up yet";

    /// <summary>How many tokens the realm gave (one per scope when the cache works).</summary>
    public int TokensFetched { get; private set; }

    /// <summary>The Authorization header for a request needing <paramref name="scope"/>, or null before the registry asked for one.</summary>
    public AuthenticationHeaderValue? HeaderFor(string scope) =>
        _tokens.TryGetValue(scope, out var token) ? new AuthenticationHeaderValue("Bearer", token)
        : _basic && _credentials is { } c ? new AuthenticationHeaderValue("Basic", c.BasicValue)
        : null;

    /// <summary>
    /// Learns from a 401's challenge: true when the request is worth sending again (Basic credentials now known, or a
    /// fresh token for <paramref name="scope"/>); false when nothing new can be sent (no credentials, no challenge).
    /// </summary>
    public async Task<bool> AnswerAsync(HttpResponseMessage unauthorized, string scope, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var header = unauthorized.Headers.WwwAuthenticate.FirstOrDefault();
        if (header is null)
        {
            return false;
        }

        var challenge = AuthChallenge.Parse(header.Scheme, header.Parameter);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_looked)
            {
                _credentials = await findCredentials(cancellationToken).ConfigureAwait(false);
                _looked = true;
            }

            if (!challenge.IsBearer)
            {
                // Basic: worth a retry only the first time (a second 401 means the credentials are wrong).
                var retry = !_basic && _credentials is not null;
                _basic = _credentials is not null;
                return retry;
            }

            var token = await FetchTokenAsync(challenge, scope, send, cancellationToken).ConfigureAwait(false);
            var changed = !_tokens.TryGetValue(scope, out var old) || old != token;
            _tokens[scope] = token;
            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    // The token spec: GET realm?service=..&scope=.. (one scope parameter per resource, see RegistryScope.Union); the answer's "token" (or OAuth's "access_token").
    private async Task<string> FetchTokenAsync(AuthChallenge challenge, string scope, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var realm = challenge["realm"] is { Length: > 0 } r && Uri.TryCreate(r, UriKind.Absolute, out var realmUri)
            ? realmUri
            : throw new OciRegistryException(HttpStatusCode.Unauthorized, $"Registry {host} asked for a token but named no usable realm ({challenge["realm"] ?? "none"}).");
        if (realm.Scheme != Uri.UriSchemeHttps && !realm.IsLoopback)
        {
            // The credentials would travel in clear text to a host that is not this machine.
            throw new OciRegistryException(HttpStatusCode.Unauthorized, $"Registry {host} sends us for a token to {realm.GetLeftPart(UriPartial.Path)}, which is not https; refusing to send credentials there.");
        }

        var scopes = RegistryScope.Union([scope, challenge["scope"] ?? ""]);
        var query = string.Join('&', new[] { challenge["service"] is { } s ? "service=" + Uri.EscapeDataString(s) : null }
            .Concat(scopes.Select(x => "scope=" + Uri.EscapeDataString(x))).Where(x => x is not null));
        var address = new UriBuilder(realm) { Query = string.IsNullOrEmpty(realm.Query) ? query : realm.Query.TrimStart('?') + "&" + query }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (_credentials is { } c)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", c.BasicValue);
        }

        using var response = await send(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new OciRegistryException(response.StatusCode,
                $"Registry {host}: the token server {realm.GetLeftPart(UriPartial.Path)} refused {CredentialsDescription} with {(int)response.StatusCode} {response.StatusCode}; "
                + $"check the user name and password (DEVENV_REGISTRY_USERNAME/PASSWORD, or `docker login {host}`).");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new OciRegistryException(response.StatusCode, $"Registry {host}: the token server {realm.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.StatusCode}.");
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var token = (answer.RootElement.TryGetProperty("token", out var t) ? t.GetString() : null)
            ?? (answer.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null);
        TokensFetched++;
        return string.IsNullOrEmpty(token)
            ? throw new OciRegistryException(response.StatusCode, $"Registry {host}: the token server {realm.GetLeftPart(UriPartial.Path)} answered without a token.")
            : token;
    }
}
