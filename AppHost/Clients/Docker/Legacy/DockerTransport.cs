using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>
/// HTTP over the Docker endpoint (unix socket or TCP) with the API version negotiated on first use:
/// the lower of what we speak and what the daemon speaks, as the docker CLI does. Every error is turned
/// into <see cref="DockerApiException"/>, <see cref="DockerNotFoundException"/> or <see cref="DockerUnavailableException"/> here.
/// </summary>
public sealed class DockerTransport : IDisposable
{
    /// <summary>The newest API version this client is written against.</summary>
    public static readonly Version MaxApiVersion = new(1, 45);

    /// <summary>The oldest API version the calls we make exist in.</summary>
    public static readonly Version MinApiVersion = new(1, 40);

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _negotiate = new(1, 1);
    private Version? _version;

    /// <summary>Creates a transport to <paramref name="endpoint"/>.</summary>
    public DockerTransport(DockerEndpoint endpoint)
    {
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        if (endpoint.IsUnixSocket)
        {
            var path = endpoint.SocketPath;
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        var baseUri = endpoint.IsUnixSocket ? new Uri("http://docker/") : new UriBuilder("http", endpoint.Uri.Host, endpoint.Uri.Port).Uri;
        // Streams (logs, pulls) run as long as their token allows; ordinary calls get RequestTimeout below.
        _http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The endpoint in use.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <summary>The negotiated API version, once known.</summary>
    public Version? ApiVersion => _version;

    /// <summary>Negotiates the API version (once) and returns it.</summary>
    public async Task<Version> NegotiateAsync(CancellationToken cancellationToken)
    {
        if (_version is not null)
        {
            return _version;
        }

        await _negotiate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_version is null)
            {
                using var response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, "_ping"), "ping", HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var daemon = response.Headers.TryGetValues("Api-Version", out var values) && Version.TryParse(values.FirstOrDefault(), out var v) ? v : MinApiVersion;
                _version = daemon < MaxApiVersion ? daemon : MaxApiVersion;
                if (_version < MinApiVersion)
                {
                    throw new DockerUnavailableException(
                        $"The Docker Engine at {Endpoint} speaks API {daemon}; DevEnv needs {MinApiVersion} or newer (Docker 19.03+). Upgrade Docker.", Endpoint.LookedAt);
                }
            }

            return _version;
        }
        finally
        {
            _negotiate.Release();
        }
    }

    /// <summary>
    /// Sends a request under the negotiated version and throws typed errors for non-success codes. <paramref name="body"/> is
    /// serialized as JSON unless it is already <see cref="HttpContent"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string operation, object? body = null,
        bool stream = false, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        var version = await NegotiateAsync(cancellationToken).ConfigureAwait(false);
        var request = new HttpRequestMessage(method, $"v{version.Major}.{version.Minor}/{path.TrimStart('/')}");
        if (body is not null)
        {
            // Raw content (a tar upload) goes as is; anything else is the JSON body of the call.
            request.Content = body as HttpContent ?? JsonContent.Create(body, body.GetType(), options: Json);
        }

        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        using var timeout = stream ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout?.CancelAfter(RequestTimeout);
        var response = await SendRawAsync(request, operation, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
            timeout?.Token ?? cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw response.StatusCode == HttpStatusCode.NotFound
                ? new DockerNotFoundException(operation, text)
                : new DockerApiException(response.StatusCode, operation, text);
        }
    }

    /// <summary>Sends and reads a JSON answer.</summary>
    public async Task<T> GetJsonAsync<T>(HttpMethod method, string path, string operation, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, operation, body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new DockerApiException(response.StatusCode, operation, "empty answer");
    }

    /// <summary>Sends and discards the answer.</summary>
    public async Task SendAndForgetAsync(HttpMethod method, string path, string operation, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, operation, body, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, string operation, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw Unavailable(operation, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(operation, ex);
        }
    }

    private DockerUnavailableException Unavailable(string operation, Exception ex) => DockerUnavailableException.Unreachable(Endpoint, operation, ex);

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        _negotiate.Dispose();
    }
}
