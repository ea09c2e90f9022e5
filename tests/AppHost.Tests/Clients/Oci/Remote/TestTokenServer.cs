using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Clients.Oci.Remote;

/// <summary>
/// A small token server for the registry's <c>REGISTRY_AUTH=token</c> (the distribution token spec) on 127.0.0.1:
/// GET /token?service=&amp;scope=.. with the right Basic credentials answers a JWT signed RS256 by the test CA, the CA in
/// the header's x5c (the registry verifies it against its rootcertbundle), granting exactly the scopes asked. Given an
/// <see cref="IdentityToken"/>, it also takes ACR's OAuth2 form: POST /token with grant_type=refresh_token, that
/// refresh_token, service, scope (space-separated) and a client_id, answering an access_token; the identity token sent
/// as a Basic password on the GET flow is refused, as ACR refuses it. Anything else is refused: another path or service
/// 404/400, wrong or missing credentials 401, a wrong refresh token 400 invalid_grant.
/// </summary>
public sealed class TestTokenServer : IAsyncDisposable
{
    /// <summary>The issuer the registry expects.</summary>
    public const string Issuer = "devenv-test-issuer";

    /// <summary>The service name the registry announces.</summary>
    public const string Service = "devenv-test-registry";

    private readonly HttpListener _listener = new();
    private readonly TestCertificateAuthority _signer;
    private string _expectedBasic;
    private readonly Task _serving;

    /// <summary>Starts on a free port, signing with <paramref name="signer"/>, accepting only <paramref name="user"/>/<paramref name="password"/>.</summary>
    public TestTokenServer(TestCertificateAuthority signer, string user, string password)
    {
        _signer = signer;
        _expectedBasic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The expires_in of the tokens it answers, in seconds (the JWT itself stays valid 300 s).</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>From now on accepts only <paramref name="password"/> (a credential helper's token that rotated).</summary>
    public void AcceptOnly(string user, string password) => _expectedBasic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>The refresh token the OAuth2 POST flow takes (null: that flow is refused).</summary>
    public string? IdentityToken { get; set; }

    /// <summary>Repositories it grants only pull on, whatever was asked (a registry then answers a push with insufficient_scope).</summary>
    public HashSet<string> PullOnly { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Repositories whose pull it grants only in a token asked for them alone: one asked together with another
    /// repository (a cross-repository mount) gets nothing on them, so the registry refuses the mount with 401.
    /// </summary>
    public HashSet<string> NoMountFrom { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, a request it would grant is answered 200 with an HTML page instead of the token JSON (a login page or proxy in the way).</summary>
    public bool AnswersHtml { get; set; }

    /// <summary>How many tokens the OAuth2 refresh-token POST flow gave.</summary>
    public int Exchanged => _exchanged;

    private int _exchanged;

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The realm URL to give the registry.</summary>
    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>Every token request's scopes (space-joined), in order.</summary>
    public ConcurrentQueue<string> Issued { get; } = new();

    /// <summary>Requests refused, with why.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            var request = context.Request;
            var form = request.HttpMethod == "POST" && request.HasEntityBody
                ? System.Web.HttpUtility.ParseQueryString(await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync())
                : null;
            var status = form is null ? Check(request, out var why) : CheckRefresh(request, form, out why);
            if (status != HttpStatusCode.OK)
            {
                Refused.Enqueue(why);
                response.StatusCode = (int)status;
                if (status == HttpStatusCode.BadRequest && form is not null)
                {
                    response.ContentType = "application/json";
                    await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes("""{"error":"invalid_grant"}"""));
                }

                continue;
            }

            var scopes = form is null ? request.QueryString.GetValues("scope") ?? [] : (form["scope"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Issued.Enqueue(string.Join(' ', scopes));
            if (AnswersHtml)
            {
                response.ContentType = "text/html";
                await response.OutputStream.WriteAsync("<html><body>Sign in</body></html>"u8.ToArray());
                continue;
            }

            var token = Sign(scopes);
            if (form is not null)
            {
                Interlocked.Increment(ref _exchanged);
            }

            // The OAuth2 answer is access_token (and a refresh_token); the classic one is token.
            var body = form is null
                ? JsonSerializer.SerializeToUtf8Bytes(new { token, expires_in = ExpiresIn })
                : JsonSerializer.SerializeToUtf8Bytes(new { access_token = token, refresh_token = IdentityToken, expires_in = ExpiresIn, scope = string.Join(' ', scopes) });
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(body);
        }
    }

    private HttpStatusCode Check(HttpListenerRequest request, out string why)
    {
        why = $"{request.HttpMethod} {request.Url?.PathAndQuery}";
        if (request.HttpMethod != "GET" || request.Url?.AbsolutePath != "/token")
        {
            return HttpStatusCode.NotFound;
        }

        if (request.QueryString["service"] != Service)
        {
            return HttpStatusCode.BadRequest;
        }

        var authorization = request.Headers["Authorization"];
        if (IdentityToken is { } identity && authorization?.StartsWith("Basic ", StringComparison.Ordinal) == true
            && Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..])).Split(':', 2) is [var user, var secret]
            && (user == "<token>" || secret == identity))
        {
            why += " (an identity token as a Basic password)";
            return HttpStatusCode.Unauthorized;
        }

        return authorization == "Basic " + _expectedBasic ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
    }

    // ACR's exchange: POST /token, form grant_type=refresh_token&refresh_token=..&service=..&scope=..&client_id=..
    private HttpStatusCode CheckRefresh(HttpListenerRequest request, System.Collections.Specialized.NameValueCollection form, out string why)
    {
        why = $"POST {request.Url?.AbsolutePath} grant_type={form["grant_type"]} client_id={form["client_id"]}";
        if (request.Url?.AbsolutePath != "/token" || IdentityToken is null)
        {
            return HttpStatusCode.NotFound;
        }

        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true
            || form["grant_type"] != "refresh_token" || form["service"] != Service || string.IsNullOrEmpty(form["client_id"]))
        {
            return HttpStatusCode.BadRequest;
        }

        return form["refresh_token"] == IdentityToken ? HttpStatusCode.OK : HttpStatusCode.BadRequest;
    }

    // JWT: header {alg RS256, x5c [CA DER]}, claims iss/sub/aud/exp/nbf/iat/jti and access[] from "repository:name:actions".
    private string Sign(string[] scopes)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = new JsonArray();
        var asked = scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        foreach (var scope in asked)
        {
            var parts = scope.Split(':');
            var name = string.Join(':', parts[1..^1]);
            var granted = NoMountFrom.Contains(name) && asked.Count > 1 ? Array.Empty<string>()
                : PullOnly.Contains(name) ? parts[^1].Split(',').Where(a => a == "pull") : parts[^1].Split(',');
            var actions = new JsonArray(granted.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
            access.Add(new JsonObject { ["type"] = parts[0], ["name"] = name, ["actions"] = actions });
        }

        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_signer.Certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = "devenv", ["aud"] = Service, ["exp"] = now + 300, ["nbf"] = now - 60, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signed = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _signer.Key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // A test may stop it early (a token server that went away); the registry's disposal stops it again.
        if (!_listener.IsListening)
        {
            return;
        }

        _listener.Stop();
        _listener.Close();
        await _serving.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
