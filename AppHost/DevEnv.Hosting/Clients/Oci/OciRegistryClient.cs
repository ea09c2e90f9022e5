using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Clients.Oci.Proxy;
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
        // Each attempt has its own deadline (see AttemptTimeout), so a big upload is not cut off by a per-client one.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>Answers the registry's 401s; null: anonymous (the local registry).</summary>
    public RegistryAuthenticator? Authenticator { get; init; }

    /// <summary>The TLS verification in use (for naming DEVENV_REGISTRY_CA_FILE in errors); null: the system's defaults.</summary>
    public RegistryCertificateValidator? Certificates { get; init; }

    /// <summary>The proxy remote requests go through (for naming it in errors), or null: direct.</summary>
    public RegistryProxy? Proxy { get; init; }

    /// <summary>Whether an https address may fall back to plain HTTP when the registry does not speak TLS (never when its certificate was rejected).</summary>
    public bool AllowPlainHttpFallback { get; init; }

    /// <summary>
    /// A client of a remote registry: https with the certificate verified (plus the target's CA file), plain HTTP only to
    /// loopback or when DEVENV_REGISTRY_INSECURE=1, credentials from <paramref name="credentials"/> when it asks.
    /// </summary>
    /// <paramref name="settings"/> gives HTTPS_PROXY/HTTP_PROXY/ALL_PROXY/NO_PROXY and DEVENV_REGISTRY_TOKEN_HOSTS (the process environment when null).
    public static OciRegistryClient ForTarget(RegistryTarget target, Func<CancellationToken, Task<RegistryCredentials?>> credentials, TimeSpan? timeout = null, Func<string, string?>? settings = null)
    {
        var read = settings ?? Environment.GetEnvironmentVariable;
        var certificates = new RegistryCertificateValidator(target.CaFile);
        var proxy = RegistryProxy.FromSettings(read);
        return new OciRegistryClient(target.BaseAddress, certificates.CreateHandler(proxy), timeout)
        {
            Proxy = proxy,
            Certificates = certificates,
            Authenticator = new RegistryAuthenticator(target.Host, credentials)
            {
                TrustedTokenHosts = (read(RegistryAuthenticator.TokenHostsSetting) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            },
            AllowPlainHttpFallback = target.AllowsPlainHttp,
        };
    }

    /// <summary>How long one request without a body may take before it counts as "the registry does not answer".</summary>
    public TimeSpan Timeout { get; }

    /// <summary>An upload attempt may take <see cref="Timeout"/> plus its size at this rate (bytes per second).</summary>
    public long MinimumUploadRate { get; init; } = 512 * 1024;

    /// <summary>
    /// Null (the default): every blob goes up in one PUT, which every registry takes (GAR and ECR refuse chunked
    /// PATCHes). Set: blobs above this size go in PATCH chunks of this size. A registry that refuses a monolithic PUT
    /// with 413 gets chunks anyway (this size, else <see cref="FallbackChunkSize"/>).
    /// </summary>
    public long? ChunkSize { get; init; }

    /// <summary>The chunk size used after a 413 when <see cref="ChunkSize"/> is not set.</summary>
    public const long FallbackChunkSize = 5 * 1024 * 1024;

    /// <summary>How many times a request is tried again after a reset, a timeout, a 429 or a 5xx (exponential back-off with jitter, Retry-After honoured).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first retry's delay (doubled for each next one, at most 30 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many retries this client made (for tests and the build log).</summary>
    public int RetriesMade => _retriesMade;

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

    // A proxy's or load balancer's HTML page instead of the registry's JSON is an error with the address, not a JsonException.
    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new OciRegistryException(response.StatusCode, $"Registry {BaseAddress}: {response.RequestMessage?.RequestUri} sent an empty answer.");
        }
        catch (JsonException ex)
        {
            throw new OciRegistryException(response.StatusCode, $"Registry {BaseAddress}: {response.RequestMessage?.RequestUri} answered {response.Content.Headers.ContentType?.MediaType ?? "something"} that is not the registry API's JSON; is DEVENV_REGISTRY the registry itself (not a web page or proxy in front of it)?", ex);
        }
    }

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
