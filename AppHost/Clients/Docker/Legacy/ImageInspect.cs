namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The parts of GET /images/{name}/json we use.</summary>
public sealed record ImageInspect
{
    /// <summary>Image ID (sha256:...).</summary>
    public string Id { get; init; } = "";

    /// <summary>Tags pointing at this image.</summary>
    public IReadOnlyList<string>? RepoTags { get; init; }

    /// <summary>Registry digests this image was pulled or pushed as.</summary>
    public IReadOnlyList<string>? RepoDigests { get; init; }

    /// <summary>Uncompressed size in bytes.</summary>
    public long Size { get; init; }
}
