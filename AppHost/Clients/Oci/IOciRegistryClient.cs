namespace DevEnv.AppHost.Clients.Oci;

/// <summary>The read side of the OCI distribution API we need for status and tests.</summary>
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

    /// <summary>The size of a blob, or null when the repository does not hold it.</summary>
    Task<long?> GetBlobSizeAsync(string repository, string digest, CancellationToken cancellationToken);

    /// <summary>The uncompressed size of a gzip layer (reads and inflates the blob).</summary>
    Task<long> GetUncompressedSizeAsync(string repository, OciDescriptor layer, CancellationToken cancellationToken);
}
