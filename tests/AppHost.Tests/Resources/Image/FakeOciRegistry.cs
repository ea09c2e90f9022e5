using DevEnv.Hosting.Clients.Oci;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// An in-memory registry for decisions that need no real registry: answers or not, holds the given manifests and small
/// blobs, and refuses every upload (tests that push use the real registry).
/// </summary>
public sealed class FakeOciRegistry : IOciRegistryClient
{
    /// <summary>Whether GET /v2/ answers.</summary>
    public bool Answers { get; set; } = true;

    /// <summary>Manifests by "repository:reference".</summary>
    public Dictionary<string, OciManifest> Manifests { get; } = [];

    /// <summary>Blob bytes by digest, for <see cref="GetBlobAsync"/>.</summary>
    public Dictionary<string, byte[]> Blobs { get; } = [];

    /// <inheritdoc />
    public Uri BaseAddress { get; } = new("http://127.0.0.1:1/");

    /// <inheritdoc />
    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(Answers);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetCatalogAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Manifests.Keys.Select(k => k.Split(':')[0]).Distinct().ToList());

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetTagsAsync(string repository, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Manifests.Keys.Where(k => k.StartsWith(repository + ":", StringComparison.Ordinal)).Select(k => k[(repository.Length + 1)..]).ToList());

    /// <inheritdoc />
    public Task<OciManifest?> TryGetManifestAsync(string repository, string reference, CancellationToken cancellationToken) =>
        Answers ? Task.FromResult(Manifests.GetValueOrDefault($"{repository}:{reference}")) : throw new OciRegistryException(null, "registry down");

    /// <inheritdoc />
    public Task<OciManifest?> TryGetManifestAsync(string repository, string reference, DevEnv.Hosting.Configuration.ImagePlatform? platform, CancellationToken cancellationToken) =>
        TryGetManifestAsync(repository, reference, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OciIndexEntry>?> TryGetIndexAsync(string repository, string reference, CancellationToken cancellationToken) => throw new NotSupportedException("fake registry: no image indexes");

    /// <inheritdoc />
    public Task<long?> GetBlobSizeAsync(string repository, string digest, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <inheritdoc />
    public Task<long> GetUncompressedSizeAsync(string repository, OciDescriptor layer, CancellationToken cancellationToken) => Task.FromResult(layer.Size);

    /// <inheritdoc />
    public Task<byte[]> GetBlobAsync(string repository, string digest, CancellationToken cancellationToken) =>
        Blobs.TryGetValue(digest, out var bytes) ? Task.FromResult(bytes) : throw new OciRegistryException(System.Net.HttpStatusCode.NotFound, $"fake: no blob {digest}");

    /// <inheritdoc />
    public Task DownloadBlobAsync(string repository, string digest, Stream destination, CancellationToken cancellationToken) => throw new NotSupportedException("fake registry: no downloads");

    /// <inheritdoc />
    public Task<bool> TryMountBlobAsync(string repository, string digest, string fromRepository, CancellationToken cancellationToken) => throw new NotSupportedException("fake registry: no mounts");

    /// <inheritdoc />
    public Task UploadBlobAsync(string repository, string digest, long size, Func<Stream> open, CancellationToken cancellationToken) => throw new NotSupportedException("fake registry: no uploads");

    /// <inheritdoc />
    public Task<string> PutManifestAsync(string repository, string reference, string mediaType, byte[] manifest, CancellationToken cancellationToken) => throw new NotSupportedException("fake registry: no manifest PUT");
}
