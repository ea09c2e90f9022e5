using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Clients.Oci;

/// <summary>The parts of the OCI distribution API we need: reading for status and tests, blob upload and manifest PUT for pushing images.</summary>
public interface IOciRegistryClient
{
    /// <summary>The registry's base address, e.g. http://127.0.0.1:5001/.</summary>
    Uri BaseAddress { get; }

    /// <summary>GET /v2/: true when the registry answers (200 or 401), false when it does not (yet).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>Repository names (GET /v2/_catalog, following pagination).</summary>
    Task<IReadOnlyList<string>> GetCatalogAsync(CancellationToken cancellationToken);

    /// <summary>Tags of a repository; empty when the repository does not exist.</summary>
    Task<IReadOnlyList<string>> GetTagsAsync(string repository, CancellationToken cancellationToken);

    /// <summary>The manifest for a tag or digest, or null when there is none. Image indexes resolve to their linux/amd64 entry.</summary>
    Task<OciManifest?> TryGetManifestAsync(string repository, string reference, CancellationToken cancellationToken);

    /// <summary>
    /// The manifest for a tag or digest for <paramref name="platform"/>: an image index resolves to that platform's entry
    /// (<see cref="OciPlatformMissingException"/> when it has none), a single manifest is returned as it is (its config
    /// says its platform). Null when there is no such tag or digest.
    /// </summary>
    Task<OciManifest?> TryGetManifestAsync(string repository, string reference, ImagePlatform? platform, CancellationToken cancellationToken);

    /// <summary>The entries of the image index at a tag or digest (empty for a single-platform manifest), or null when there is none.</summary>
    Task<IReadOnlyList<OciIndexEntry>?> TryGetIndexAsync(string repository, string reference, CancellationToken cancellationToken);

    /// <summary>The size of a blob, or null when the repository does not hold it.</summary>
    Task<long?> GetBlobSizeAsync(string repository, string digest, CancellationToken cancellationToken);

    /// <summary>The uncompressed size of a gzip layer (reads and inflates the blob).</summary>
    Task<long> GetUncompressedSizeAsync(string repository, OciDescriptor layer, CancellationToken cancellationToken);

    /// <summary>The bytes of a (small) blob, e.g. an image config.</summary>
    Task<byte[]> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken);

    /// <summary>Copies a blob into <paramref name="destination"/> (for re-uploading a blob a mount could not share).</summary>
    Task DownloadBlobAsync(string repository, string digest, Stream destination, CancellationToken cancellationToken);

    /// <summary>
    /// Cross-repository mount (POST .../blobs/uploads/?mount=&amp;from=): true when the registry linked the blob from
    /// <paramref name="fromRepository"/> without any upload, false when it declined (the caller uploads instead).
    /// </summary>
    Task<bool> TryMountBlobAsync(string repository, string digest, string fromRepository, CancellationToken cancellationToken);

    /// <summary>
    /// Uploads a blob of <paramref name="size"/> bytes read from <paramref name="open"/>: one streamed PUT
    /// (PATCH chunks only when <see cref="OciRegistryClient.ChunkSize"/> is set or the registry refuses the PUT with 413).
    /// The registry checks the digest.
    /// </summary>
    Task UploadBlobAsync(string repository, string digest, long size, Func<Stream> open, CancellationToken cancellationToken);

    /// <summary>PUT of a manifest under <paramref name="reference"/> (a tag); returns the digest the registry reports.</summary>
    Task<string> PutManifestAsync(string repository, string reference, string mediaType, byte[] manifest, CancellationToken cancellationToken);
}
