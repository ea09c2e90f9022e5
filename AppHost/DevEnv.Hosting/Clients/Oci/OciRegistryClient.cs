using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Clients.Oci.Tls;
using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Clients.Oci;

/// <summary>
/// A small client of the OCI distribution API: reads, and pushes (see OciRegistryClient.Push.cs). Anonymous plain HTTP
/// to the local registry; to a remote one (<see cref="ForTarget"/>) TLS verified by <see cref="RegistryCertificateValidator"/>
/// and 401s answered by <see cref="RegistryAuthenticator"/> (Basic or the token handshake).
/// </summary>
public sealed partial class OciRegistryClient : IOciRegistryClient, IDisposable
{
    private const string OciManifestType = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndexType = "application/vnd.oci.image.index.v1+json";
    private const string DockerManifestType = "application/vnd.docker.distribution.manifest.v2+json";
    private const string DockerListType = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    // Layers are content-addressed, so an inflated size never changes for a digest.
    private static readonly ConcurrentDictionary<string, long> UncompressedSizes = new(StringComparer.Ordinal);
    private readonly HttpClient _http;

    // Requests are made absolute against this, so a loopback or DEVENV_REGISTRY_INSECURE=1 registry that turns out not to
    // speak TLS can be switched to plain HTTP once (HttpClient.BaseAddress cannot change after the first request).
    private Uri _base;

    /// <summary>Creates a client of the registry at <paramref name="baseAddress"/>.</summary>
    public OciRegistryClient(Uri baseAddress, HttpMessageHandler? handler = null, TimeSpan? timeout = null)
    {
        _base = baseAddress;
        Timeout = timeout ?? TimeSpan.FromMinutes(2);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };
    }

    /// <summary>Answers the registry's 401s; null: anonymous (the local registry).</summary>
    public RegistryAuthenticator? Authenticator { get; init; }

    /// <summary>The TLS verification in use (for naming DEVENV_REGISTRY_CA_FILE in errors); null: the system's defaults.</summary>
    public RegistryCertificateValidator? Certificates { get; init; }

    /// <summary>Whether an https address may fall back to plain HTTP when the registry does not speak TLS (never when its certificate was rejected).</summary>
    public bool AllowPlainHttpFallback { get; init; }

    /// <summary>
    /// A client of a remote registry: https with the certificate verified (plus the target's CA file), plain HTTP only to
    /// loopback or when DEVENV_REGISTRY_INSECURE=1, credentials from <paramref name="credentials"/> when it asks.
    /// </summary>
    public static OciRegistryClient ForTarget(RegistryTarget target, Func<CancellationToken, Task<RegistryCredentials?>> credentials, TimeSpan? timeout = null)
    {
        var certificates = new RegistryCertificateValidator(target.CaFile);
        return new OciRegistryClient(target.BaseAddress, certificates.CreateHandler(), timeout)
        {
            Certificates = certificates,
            Authenticator = new RegistryAuthenticator(target.Host, credentials),
            AllowPlainHttpFallback = target.AllowsPlainHttp,
        };
    }

    /// <summary>How long one request may take before it counts as "the registry does not answer".</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Blobs above this size are uploaded in PATCH chunks of this size (the spec's chunked upload).</summary>
    public long ChunkSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>A client of the registry published on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static OciRegistryClient ForHost(string host, int port) => new(new Uri($"http://{host}:{port}/"));

    /// <inheritdoc />
    public Uri BaseAddress => _base;

    /// <inheritdoc />
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendOnceAsync(new HttpRequestMessage(HttpMethod.Get, "v2/"), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized;
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetCatalogAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? next = "v2/_catalog?n=1000";
        while (next is not null)
        {
            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken).ConfigureAwait(false);
            var page = await ReadAsync<CatalogPage>(response, cancellationToken).ConfigureAwait(false);
            names.AddRange(page.Repositories ?? []);
            next = NextLink(response);
        }

        return names;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetTagsAsync(string repository, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/tags/list", null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? [] : (await ReadAsync<TagList>(response, cancellationToken).ConfigureAwait(false)).Tags ?? [];
    }

    /// <inheritdoc />
    public Task<OciManifest?> TryGetManifestAsync(string repository, string reference, CancellationToken cancellationToken) =>
        TryGetManifestAsync(repository, reference, null, cancellationToken);

    /// <inheritdoc />
    public async Task<OciManifest?> TryGetManifestAsync(string repository, string reference, ImagePlatform? platform, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/{reference}",
            [OciManifestType, DockerManifestType, OciIndexType, DockerListType], cancellationToken, allowNotFound: true).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var document = await ReadAsync<ManifestDocument>(response, cancellationToken).ConfigureAwait(false);
        var mediaType = document.MediaType ?? response.Content.Headers.ContentType?.MediaType ?? OciManifestType;
        if (document.Manifests is { Count: > 0 } entries)
        {
            // Without a platform asked for: linux/amd64, else the first (what status and older callers always read).
            var pick = platform is null
                ? OciIndex.Pick(entries, ImagePlatform.LinuxAmd64) ?? entries[0]
                : OciIndex.Pick(entries, platform) ?? throw new OciPlatformMissingException($"{repository}:{reference}", platform, OciIndex.Describe(entries));
            return await TryGetManifestAsync(repository, pick.Digest, platform, cancellationToken).ConfigureAwait(false);
        }

        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : reference;
        return new OciManifest(digest, mediaType, document.Config ?? throw new OciRegistryException(response.StatusCode, $"Manifest {repository}:{reference} has no config."),
            document.Layers ?? []);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OciIndexEntry>?> TryGetIndexAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/manifests/{reference}",
            [OciManifestType, DockerManifestType, OciIndexType, DockerListType], cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await ReadAsync<ManifestDocument>(response, cancellationToken).ConfigureAwait(false)).Manifests ?? [];
    }

    /// <inheritdoc />
    public async Task<long?> GetBlobSizeAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", null, cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : response.Content.Headers.ContentLength;
    }

    /// <inheritdoc />
    public async Task<long> GetUncompressedSizeAsync(string repository, OciDescriptor layer, CancellationToken cancellationToken)
    {
        if (UncompressedSizes.TryGetValue(layer.Digest, out var known))
        {
            return known;
        }

        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{layer.Digest}", null, cancellationToken, headersOnly: true).ConfigureAwait(false);
        long total = 0;
        try
        {
            await using var blob = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var content = layer.MediaType.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(blob, CompressionMode.Decompress) : blob;
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or HttpRequestException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OciRegistryException(null, $"Registry {BaseAddress}: reading blob {repository}@{layer.Digest} failed ({Unwrap(ex)})", ex);
        }

        UncompressedSizes[layer.Digest] = total;
        return total;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

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
    // reset, an untrusted certificate, or HttpClient's own timeout (a TaskCanceledException that is not the caller's
    // cancellation). A 401 is answered once (Basic or a token for the request's scope) and the request made again.
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken, HttpStatusCode[] accepted, bool headersOnly = false)
    {
        var completion = headersOnly ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead;
        string what;
        string scope;
        HttpResponseMessage response;
        using (var request = create())
        {
            what = $"{request.Method} {request.RequestUri}";
            scope = RegistryScope.For(request.Method, request.RequestUri!);
            response = await SendAuthorizedAsync(request, scope, completion, what, cancellationToken).ConfigureAwait(false);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized && Authenticator is { } auth
            && await auth.AnswerAsync(response, scope, (r, ct) => SendOnceAsync(r, HttpCompletionOption.ResponseContentRead, ct), cancellationToken).ConfigureAwait(false))
        {
            response.Dispose();
            using var again = create();
            response = await SendAuthorizedAsync(again, scope, completion, what, cancellationToken).ConfigureAwait(false);
        }

        if (response.IsSuccessStatusCode || accepted.Contains(response.StatusCode))
        {
            return response;
        }

        await EnsureSuccessAsync(response, what, cancellationToken).ConfigureAwait(false);
        return response;
    }

    private async Task<HttpResponseMessage> SendAuthorizedAsync(HttpRequestMessage request, string scope, HttpCompletionOption completion, string what, CancellationToken cancellationToken)
    {
        if (Authenticator?.HeaderFor(scope) is { } header)
        {
            request.Headers.Authorization = header;
        }

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
        catch (HttpRequestException ex)
        {
            throw new OciRegistryException(null, $"The registry at {BaseAddress} does not answer ({Unwrap(ex)}). Is the registry {(Authenticator is null ? "container running" : "address right and reachable")}?", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OciRegistryException(null, $"The registry at {BaseAddress} did not answer {what} within {Timeout.TotalSeconds:0.#} s. Is the registry container running and not overloaded?", ex);
        }
    }

    // One exchange, its address made absolute; the one place plain HTTP may replace https, when allowed and the
    // server answered the TLS hello with something that is not TLS (never when it sent a certificate we rejected).
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var relative = request.RequestUri is { IsAbsoluteUri: false } path ? path : null;
        if (relative is not null)
        {
            request.RequestUri = new Uri(_base, relative);
        }

        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
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

            return await _http.SendAsync(plain, completion, cancellationToken).ConfigureAwait(false);
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
            if (Authenticator is { } auth && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new OciRegistryException(response.StatusCode, response.StatusCode == HttpStatusCode.Unauthorized
                    ? $"Registry {auth.Host}: {what} was refused with 401 Unauthorized ({auth.CredentialsDescription}); check the user name and password (DEVENV_REGISTRY_USERNAME/PASSWORD, or `docker login {auth.Host}`)."
                    : $"Registry {auth.Host}: {what} was refused with 403 Forbidden ({auth.CredentialsDescription}): that account may not do this; ask for push rights there or set DEVENV_REGISTRY to a path it may push to.");
            }

            throw new OciRegistryException(response.StatusCode, $"Registry {BaseAddress}: {what} failed with {(int)response.StatusCode} {response.StatusCode}: {string.Join(' ', body.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}");
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), Json)
        ?? throw new OciRegistryException(response.StatusCode, "The registry sent an empty answer.");

    // Pagination per the distribution spec: Link: </v2/_catalog?last=x&n=1000>; rel="next".
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        var link = links.First();
        var start = link.IndexOf('<', StringComparison.Ordinal);
        var end = link.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? link[(start + 1)..end].TrimStart('/') : null;
    }

    private sealed record CatalogPage(IReadOnlyList<string>? Repositories);

    private sealed record TagList(string? Name, IReadOnlyList<string>? Tags);

    private sealed record ManifestDocument(string? MediaType, OciDescriptor? Config, IReadOnlyList<OciDescriptor>? Layers, IReadOnlyList<OciIndexEntry>? Manifests);
}
