using System.Net;
using System.Net.Http.Headers;

namespace DevEnv.Hosting.Clients.Oci;

/// <content>The push side: blob reads for base configs, cross-repository mount, monolithic and chunked upload, manifest PUT.</content>
public sealed partial class OciRegistryClient
{
    /// <inheritdoc />
    public async Task<byte[]> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", null, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DownloadBlobAsync(string repository, string digest, Stream destination, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v2/{repository}/blobs/{digest}", null, cancellationToken, headersOnly: true).ConfigureAwait(false);
        try
        {
            await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OciRegistryException(null, $"Registry {BaseAddress}: reading blob {repository}@{digest} failed ({ex.Message})", ex);
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryMountBlobAsync(string repository, string digest, string fromRepository, CancellationToken cancellationToken)
    {
        // A mount is only a shortcut: a registry that refuses it (400, 401/403 without pull rights on the source,
        // 404, 405 without mount support) gets the blob uploaded instead.
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post,
            $"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(fromRepository)}"), cancellationToken,
            [HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed]).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        // 202: the registry declined the mount and opened an upload session instead; close it, the caller uploads.
        // Whatever the DELETE answers, the upload goes ahead (an abandoned session expires on its own).
        if (response.StatusCode == HttpStatusCode.Accepted && LocationOf(response) is { } session)
        {
            try
            {
                using var cancel = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, session), cancellationToken, [HttpStatusCode.NotFound]).ConfigureAwait(false);
            }
            catch (OciRegistryException)
            {
                // Not ours to fail the push for.
            }
        }

        return false;
    }

    /// <inheritdoc />
    public async Task UploadBlobAsync(string repository, string digest, long size, Func<Stream> open, CancellationToken cancellationToken)
    {
        var location = await StartUploadAsync(repository, cancellationToken).ConfigureAwait(false);
        if (ChunkSize is { } chunk && size > chunk)
        {
            await UploadChunkedAsync(location, digest, size, chunk, open, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Monolithic: one PUT streamed from the file. The body is opened per attempt (the stream goes with the
        // request), so a PUT answered by a 401 or retried after a 503 sends the same bytes again.
        using var put = await SendAsync(() =>
        {
            var body = new StreamContent(open());
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = size;
            return new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = body };
        }, cancellationToken, [HttpStatusCode.RequestEntityTooLarge]).ConfigureAwait(false);
        if (put.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            // The registry (or a proxy in front of it) limits a request's size: the only case we send chunks unasked.
            await UploadChunkedAsync(await StartUploadAsync(repository, cancellationToken).ConfigureAwait(false), digest, size, FallbackChunkSize, open, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Uri> StartUploadAsync(string repository, CancellationToken cancellationToken)
    {
        using var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/"), cancellationToken, []).ConfigureAwait(false);
        return LocationOf(start) ?? throw new OciRegistryException(start.StatusCode, $"Registry {BaseAddress}: starting an upload to {repository} gave no Location.");
    }

    // The spec's chunked upload: PATCHes with Content-Range, each to the Location the last one answered, then a closing PUT.
    private async Task UploadChunkedAsync(Uri location, string digest, long size, long chunkSize, Func<Stream> open, CancellationToken cancellationToken)
    {
        await using var content = open();
        var buffer = new byte[Math.Min(chunkSize, size)];
        for (long offset = 0; offset < size;)
        {
            var length = await content.ReadAtLeastAsync(buffer, (int)Math.Min(chunkSize, size - offset), throwOnEndOfStream: true, cancellationToken).ConfigureAwait(false);
            var at = location;
            var from = offset;
            using var patch = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Patch, at) { Content = new ByteArrayContent(buffer, 0, length) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{from}-{from + length - 1}");
                return request;
            }, cancellationToken, []).ConfigureAwait(false);
            location = LocationOf(patch) ?? location;
            offset += length;
        }

        using var close = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, WithDigest(location, digest)) { Content = new ByteArrayContent([]) }, cancellationToken, []).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> PutManifestAsync(string repository, string reference, string mediaType, byte[] manifest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var body = new ByteArrayContent(manifest);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{reference}") { Content = body };
        }, cancellationToken, []).ConfigureAwait(false);
        return response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : "";
    }

    // An upload Location may be absolute or relative (the spec allows both); a relative one is resolved against the URL
    // of the request it answers (RFC 9110), which after a redirect is not the registry's base address, and whose path a
    // path-relative Location ("uuid?_state=..") continues.
    private static Uri? LocationOf(HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null
        : location.IsAbsoluteUri || response.RequestMessage?.RequestUri is not { IsAbsoluteUri: true } from ? location
        : new Uri(from, location);

    private static Uri WithDigest(Uri location, string digest)
    {
        var absolute = location.ToString();
        return new Uri(absolute + (absolute.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest));
    }
}
