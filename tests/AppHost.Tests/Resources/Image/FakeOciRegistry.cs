using DevEnv.AppHost.Clients.Oci;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>An in-memory registry for decisions that need no real blobs: answers or not, and holds the given manifests.</summary>
public sealed class FakeOciRegistry : IOciRegistryClient
{
    /// <summary>Whether GET /v2/ answers.</summary>
    public bool Answers { get; set; } = true;

    /// <summary>Manifests by "repository:reference".</summary>
    public Dictionary<string, OciManifest> Manifests { get; } = [];

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
    public Task<long?> GetBlobSizeAsync(string repository, string digest, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <inheritdoc />
    public Task<long> GetUncompressedSizeAsync(string repository, OciDescriptor layer, CancellationToken cancellationToken) => Task.FromResult(layer.Size);
}
