using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using DevEnv.Hosting.Clients.Oci.Auth;
using Polly;
using Polly.Retry;

namespace DevEnv.Hosting.Clients.Oci;

/// <content>
/// The one way requests are sent: retried (Polly) on resets, timeouts, 429 and 5xx, each attempt with its own deadline,
/// a 401 answered once per attempt, every failure one <see cref="OciRegistryException"/> with one line.
/// </content>
public sealed partial class OciRegistryClient
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private ResiliencePipeline<HttpResponseMessage>? _retry;
    private int _retriesMade;

    // Built on first use because MaxRetries and RetryDelay are init properties, set after the constructor ran. Polly
    // disposes the responses of attempts it discards. Retried here, around our request factory, and not in a
    // DelegatingHandler (Microsoft.Extensions.Http.Resilience's ResilienceHandler): a handler re-sends the same request
    // message, whose streamed blob body is already consumed, and would retry inside the auth handshake.
    private ResiliencePipeline<HttpResponseMessage> Retry => _retry ??= MaxRetries <= 0
        ? ResiliencePipeline<HttpResponseMessage>.Empty
        : new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = MaxRetries,
            Delay = RetryDelay,
            MaxDelay = MaxRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is OciRegistryException { IsTransient: true }
                || args.Outcome.Result is { } r && IsTransient(r.StatusCode)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            OnRetry = _ =>
            {
                Interlocked.Increment(ref _retriesMade);
                return default;
            },
        }).Build();

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    // A registry's Retry-After (seconds or a date) wins over our back-off, within the same cap; null: the back-off.
    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var after = response?.Headers.RetryAfter;
        var delay = after?.Delta ?? (after?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, MaxRetryDelay.Ticks)) : null;
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string[]? accept, CancellationToken cancellationToken, bool allowNotFound = false, bool headersOnly = false) =>
        SendAsync(() =>
        {
            var request = new HttpRequestMessage(method, path);
            foreach (var type in accept ?? [])
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, cancellationToken, allowNotFound ? [HttpStatusCode.NotFound] : [], headersOnly);

    // Every request goes through here, so every failure to get an answer becomes one OciRegistryException: refused,
    // reset, an untrusted certificate, or an attempt's deadline. The request is made anew for each attempt (a body
    // stream goes with its request), so retries and the request after a 401 send the same bytes again.
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken, HttpStatusCode[] accepted, bool headersOnly = false)
    {
        var response = await Retry.ExecuteAsync(ct => new ValueTask<HttpResponseMessage>(SendAttemptAsync(create, headersOnly, ct)), cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode || accepted.Contains(response.StatusCode))
        {
            return response;
        }

        await EnsureSuccessAsync(response, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}", cancellationToken).ConfigureAwait(false);
        return response;
    }

    // One attempt: the request, and when the registry answers 401, the challenge answered (Basic or a token for the
    // request's scope) and the request made once more.
    private async Task<HttpResponseMessage> SendAttemptAsync(Func<HttpRequestMessage> create, bool headersOnly, CancellationToken cancellationToken)
    {
        var completion = headersOnly ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead;
        string scope;
        HttpResponseMessage response;
        using (var request = create())
        {
            scope = RegistryScope.For(request.Method, request.RequestUri!);
            response = await SendAuthorizedAsync(request, scope, completion, cancellationToken).ConfigureAwait(false);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized && Authenticator is { } auth
            && await auth.AnswerAsync(response, scope, (r, ct) => SendOnceAsync(r, HttpCompletionOption.ResponseContentRead, ct), cancellationToken).ConfigureAwait(false))
        {
            response.Dispose();
            using var again = create();
            response = await SendAuthorizedAsync(again, scope, completion, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendAuthorizedAsync(HttpRequestMessage request, string scope, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (Authenticator?.HeaderFor(scope) is { } header)
        {
            request.Headers.Authorization = header;
        }

        var what = $"{request.Method} {request.RequestUri}";
        try
        {
            return await SendOnceAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (IsUntrustedCertificate(ex))
        {
            throw new OciRegistryException(null, $"Registry {BaseAddress.Authority}: TLS verification failed, {Certificates!.LastRejection}. "
                + (Certificates.CaFile is null
                    ? "If it uses a private CA, set DEVENV_REGISTRY_CA_FILE to that CA's PEM file."
                    : $"Check that DEVENV_REGISTRY_CA_FILE ({Certificates.CaFile}) is the CA that signed it and that the certificate names {BaseAddress.Host}."), ex);
        }
        catch (HttpRequestException ex) when (Proxy is { } proxy && request.RequestUri is { IsAbsoluteUri: true } uri && !proxy.IsBypassed(uri))
        {
            throw new OciRegistryException(null, $"The registry at {BaseAddress} could not be reached through the proxy {proxy.GetProxy(uri)} ({Unwrap(ex)}); "
                + "check HTTPS_PROXY (and its user:password for a 407), or list the registry's host in NO_PROXY to go direct.", ex)
            { IsTransient = ex.HttpRequestError is HttpRequestError.ResponseEnded };
        }
        catch (HttpRequestException ex)
        {
            throw new OciRegistryException(null, $"The registry at {BaseAddress} does not answer ({Unwrap(ex)}). Is the registry {(Authenticator is null ? "container running" : "address right and reachable")}?", ex)
            { IsTransient = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded || ex.InnerException is IOException };
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OciRegistryException(null, $"The registry at {BaseAddress} did not answer {what} within {AttemptTimeout(request).TotalSeconds:0.#} s. Is the registry container running and not overloaded?", ex)
            { IsTransient = true };
        }
    }

    // A request without a body gets Timeout; an upload gets Timeout plus its size at MinimumUploadRate.
    private TimeSpan AttemptTimeout(HttpRequestMessage request) =>
        Timeout + TimeSpan.FromSeconds((double)(request.Content?.Headers.ContentLength ?? 0) / Math.Max(1, MinimumUploadRate));

    // One exchange, its address made absolute, within its deadline; the one place plain HTTP may replace https, when
    // allowed and the server answered the TLS hello with something that is not TLS (never when it sent a certificate we rejected).
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var relative = request.RequestUri is { IsAbsoluteUri: false } path ? path : null;
        if (relative is not null)
        {
            request.RequestUri = new Uri(_base, relative);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(AttemptTimeout(request));
        try
        {
            return await _http.SendAsync(request, completion, deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (relative is not null && AllowPlainHttpFallback && _base.Scheme == Uri.UriSchemeHttps
            && ex.InnerException is AuthenticationException && Certificates?.LastRejection is null)
        {
            _base = new UriBuilder(_base) { Scheme = Uri.UriSchemeHttp, Port = _base.Port }.Uri;
            using var plain = new HttpRequestMessage(request.Method, new Uri(_base, relative)) { Content = request.Content };
            foreach (var h in request.Headers)
            {
                plain.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }

            return await _http.SendAsync(plain, completion, deadline.Token).ConfigureAwait(false);
        }
    }

    private bool IsUntrustedCertificate(HttpRequestException ex) => ex.InnerException is AuthenticationException && Certificates?.LastRejection is not null;

    private static string Unwrap(Exception ex) => ex.InnerException is { } inner && ex is HttpRequestException ? inner.Message : ex.Message;

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            if (Authenticator is { } scoped && response.StatusCode == HttpStatusCode.Unauthorized
                && response.Headers.WwwAuthenticate.Any(h => h.Parameter?.Contains("insufficient_scope", StringComparison.Ordinal) == true))
            {
                throw new OciRegistryException(response.StatusCode, $"Registry {scoped.Host}: {what} was refused with 401 insufficient_scope ({scoped.CredentialsDescription}): the credentials were accepted but may not do this; ask for push rights there or set DEVENV_REGISTRY to a path they may push to.");
            }

            if (Authenticator is { } auth && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new OciRegistryException(response.StatusCode, response.StatusCode == HttpStatusCode.Unauthorized
                    ? $"Registry {auth.Host}: {what} was refused with 401 Unauthorized ({auth.CredentialsDescription}); check the user name and password (DEVENV_REGISTRY_USERNAME/PASSWORD, or `docker login {auth.Host}`)."
                    : $"Registry {auth.Host}: {what} was refused with 403 Forbidden ({auth.CredentialsDescription}): that account may not do this; ask for push rights there or set DEVENV_REGISTRY to a path it may push to.");
            }

            throw new OciRegistryException(response.StatusCode, $"Registry {BaseAddress}: {what} failed with {(int)response.StatusCode} {response.StatusCode}{(IsTransient(response.StatusCode) && MaxRetries > 0 ? $" (tried {MaxRetries + 1} times)" : "")}: {string.Join(' ', body.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}");
        }
    }
}
