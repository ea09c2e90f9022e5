using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace DevEnv.Hosting.Clients.Oci.Auth;

/// <summary>
/// Answers a registry's 401: Basic with the credentials, or the distribution token handshake (GET the challenge's realm
/// with service and scope, Basic credentials when there are any, or the OAuth2 refresh-token POST for an identity token;
/// a token back), a token cached per scope so each
/// repository and action asks once until the token's <c>expires_in</c> runs out (60 s when the server names none, as
/// the token spec says). Credentials are looked up when the registry first asks and again whenever the registry or
/// its token server refuses the ones we have (or we had none), so a credential helper's token that expires after an
/// hour (ECR, ACR, GAR) is fetched again in a long session. Nothing here logs.
/// </summary>
/// <param name="host">The registry host[:port] the credentials are for.</param>
/// <param name="findCredentials">Where the credentials come from (see <see cref="DockerCredentialSource"/>); null result: anonymous.</param>
/// <param name="time">The clock token lifetimes are measured on (the system's when null).</param>
public sealed class RegistryAuthenticator(string host, Func<CancellationToken, Task<RegistryCredentials?>> findCredentials, TimeProvider? time = null)
{
    // A token is dropped this long before it runs out, so a request does not reach the registry with one that just expired.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(5);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RegistryCredentials? _credentials;
    private bool _looked;
    private bool _basic;

    /// <summary>The registry host.</summary>
    public string Host => host;

    /// <summary>For error messages: where the credentials came from, or that there were none. Never the secret.</summary>
    public string CredentialsDescription => _credentials is { } c ? c.ToString() : _looked ? "no credentials (anonymous)" : "credentials not looked up yet";

    /// <summary>The setting listing further hosts whose token realm may be sent the registry's credentials.</summary>
    public const string TokenHostsSetting = "DEVENV_REGISTRY_TOKEN_HOSTS";

    /// <summary>Hosts outside the registry's own domain whose token realm may be sent its credentials (<see cref="TokenHostsSetting"/>).</summary>
    public IReadOnlyCollection<string> TrustedTokenHosts { get; init; } = [];

    /// <summary>
    /// Whether a token realm may be sent the registry's credentials: on the registry's host, under its domain or its
    /// parent's (registry-1.docker.io sends us to auth.docker.io, registry.gitlab.com to gitlab.com), or on a host of
    /// <see cref="TrustedTokenHosts"/>. Any other realm (a registry that was taken over, or mistyped) is asked anonymously.
    /// </summary>
    public bool MaySendCredentialsTo(Uri realm)
    {
        var registry = new Uri("https://" + host).IdnHost;
        var to = realm.IdnHost;
        if (string.Equals(to, registry, StringComparison.OrdinalIgnoreCase) || TrustedTokenHosts.Contains(to, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (realm.HostNameType != UriHostNameType.Dns)
        {
            return false;
        }

        var parent = registry.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 && registry.IndexOf('.', dot + 1) > 0 ? registry[(dot + 1)..] : null;
        return to.EndsWith("." + registry, StringComparison.OrdinalIgnoreCase)
            || parent is not null && (string.Equals(to, parent, StringComparison.OrdinalIgnoreCase) || to.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>How many tokens the realm gave (one per scope when the cache works).</summary>
    public int TokensFetched { get; private set; }

    /// <summary>The Authorization header for a request needing <paramref name="scope"/>, or null before the registry asked for one.</summary>
    public AuthenticationHeaderValue? HeaderFor(string scope) =>
        _tokens.TryGetValue(scope, out var token) && token.Expires > _time.GetUtcNow() ? new AuthenticationHeaderValue("Bearer", token.Token)
        : _basic && _credentials is { } c ? new AuthenticationHeaderValue("Basic", c.BasicValue)
        : null;

    /// <summary>
    /// Learns from a 401's challenge: true when the request is worth sending again (Basic credentials now known, or a
    /// fresh token for <paramref name="scope"/>); false when nothing new can be sent (no credentials, no challenge).
    /// </summary>
    public async Task<bool> AnswerAsync(HttpResponseMessage unauthorized, string scope, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        // A 401 may carry several challenges (Negotiate, Basic, Bearer, in any order; RFC 9110 11.6.1): the token
        // handshake when offered, else Basic; schemes we cannot answer are passed over, not taken as Basic.
        var offered = unauthorized.Headers.WwwAuthenticate.Select(h => AuthChallenge.Parse(h.Scheme, h.Parameter)).ToList();
        var challenge = offered.FirstOrDefault(c => c.IsBearer) ?? offered.FirstOrDefault(c => c.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase));
        if (challenge is null)
        {
            return false;
        }

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
                if (_credentials is { IsIdentityToken: true })
                {
                    throw new OciRegistryException(HttpStatusCode.Unauthorized, $"Registry {host} asks for Basic auth, but {CredentialsDescription} are an identity token, which only a token server takes; log in with a user name and password (`docker login {host}`, or DEVENV_REGISTRY_USERNAME/PASSWORD).");
                }

                // Basic: worth a retry the first time, and after that only when the credentials changed since they
                // were refused (a helper's new token); the same ones refused again mean they are wrong.
                var retry = _credentials is not null && (!_basic || await RefreshCredentialsAsync(cancellationToken).ConfigureAwait(false));
                _basic = _credentials is not null;
                return retry;
            }

            (string Token, DateTimeOffset Expires) token;
            try
            {
                token = await FetchTokenAsync(challenge, scope, send, cancellationToken).ConfigureAwait(false);
            }
            catch (OciRegistryException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // Refused: the helper may have a new token for us by now; the same credentials refused again are wrong.
                if (!await RefreshCredentialsAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }

                token = await FetchTokenAsync(challenge, scope, send, cancellationToken).ConfigureAwait(false);
            }

            var changed = !_tokens.TryGetValue(scope, out var old) || old.Token != token.Token;
            _tokens[scope] = token;
            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Looks the credentials up again after they were refused: true when something different (or something at all) came back.
    private async Task<bool> RefreshCredentialsAsync(CancellationToken cancellationToken)
    {
        var fresh = await findCredentials(cancellationToken).ConfigureAwait(false);
        var changed = fresh is not null && fresh != _credentials;
        _credentials = fresh;
        return changed;
    }

    // The token spec: GET realm?service=..&scope=.. (one scope parameter per resource, see RegistryScope.Union), or the
    // OAuth2 POST for an identity token (TokenRequest); the answer's "token" (or OAuth's "access_token").
    private async Task<(string Token, DateTimeOffset Expires)> FetchTokenAsync(AuthChallenge challenge, string scope, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
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
        var withheld = _credentials is not null && !MaySendCredentialsTo(realm);
        using var request = TokenRequest.Create(realm, challenge["service"], scopes, withheld ? null : _credentials);
        var server = realm.GetLeftPart(UriPartial.Path);
        HttpResponseMessage response;
        try
        {
            response = await send(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OciRegistryException(null, $"Registry {host}: its token server {server} does not answer ({(ex.InnerException ?? ex).Message}); check it is reachable from here (HTTPS_PROXY/NO_PROXY).", ex) { IsTransient = true };
        }

        using var _ = response;
        if (withheld && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new OciRegistryException(HttpStatusCode.Unauthorized,
                $"Registry {host} sends us for a token to {server}, which is not under its domain, so DevEnv did not send its credentials there and the token server refused an anonymous request ({(int)response.StatusCode} {response.StatusCode}); "
                + $"if {realm.IdnHost} is that registry's own token server, add it to {TokenHostsSetting}.");
        }

        if (_credentials is { IsIdentityToken: true } && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // OAuth2 answers a refresh token it no longer takes with 400 invalid_grant; ACR with 401.
            throw new OciRegistryException(HttpStatusCode.Unauthorized,
                $"Registry {host}: the token server {server} refused the identity token ({CredentialsDescription}) with {(int)response.StatusCode} {response.StatusCode}; "
                + $"it may have expired: log in again (`az acr login`, or `docker login {host}`).");
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new OciRegistryException(response.StatusCode,
                $"Registry {host}: the token server {server} refused {CredentialsDescription} with {(int)response.StatusCode} {response.StatusCode}; "
                + $"check the user name and password (DEVENV_REGISTRY_USERNAME/PASSWORD, or `docker login {host}`).");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new OciRegistryException(response.StatusCode, $"Registry {host}: the token server {realm.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.StatusCode}.")
            {
                IsTransient = response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500,
            };
        }

        string? token;
        var lifetime = 60;
        try
        {
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var root = answer.RootElement;
            token = (root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null);
            if (root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0)
            {
                lifetime = seconds;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new OciRegistryException(response.StatusCode, $"Registry {host}: the token server {server} answered {response.Content.Headers.ContentType?.MediaType ?? "something"} that is not the token JSON; check that the registry's realm points at its token service.", ex);
        }

        TokensFetched++;
        var expires = _time.GetUtcNow() + TimeSpan.FromSeconds(lifetime) - (lifetime > 2 * ExpiryMargin.TotalSeconds ? ExpiryMargin : TimeSpan.Zero);
        return string.IsNullOrEmpty(token)
            ? throw new OciRegistryException(response.StatusCode, $"Registry {host}: the token server {server} answered without a token.")
            : (token, expires);
    }
}
