namespace DevEnv.Hosting.Resources.Image;

/// <summary>Keys of the facts the image resource puts on its snapshot (read by the console, dashboard and deployment).</summary>
public static class ImageProperties
{
    /// <summary>The current good tag.</summary>
    public const string Tag = "tag";
    /// <summary>The image reference the cluster pulls (localhost:port/repo:tag).</summary>
    public const string Image = "image";
    /// <summary>The manifest digest.</summary>
    public const string Digest = "digest";
    /// <summary>The mode the current image was built in ("Trimmed" or "Fast"; see <see cref="ImageBuildOptions.ModeName"/>).</summary>
    public const string Mode = "mode";
    /// <summary>The base image.</summary>
    public const string BaseImage = "baseImage";
    /// <summary>"published" or "reused" (tag was already in the registry).</summary>
    public const string Outcome = "outcome";
    /// <summary>Seconds spent restoring, compiling and trimming.</summary>
    public const string PublishSeconds = "publishSeconds";
    /// <summary>Seconds spent assembling and pushing.</summary>
    public const string PushSeconds = "pushSeconds";
    /// <summary>Compressed size in bytes.</summary>
    public const string CompressedBytes = "compressedBytes";
    /// <summary>Uncompressed size in bytes.</summary>
    public const string UncompressedBytes = "uncompressedBytes";
    /// <summary>Bytes uploaded by the last build.</summary>
    public const string PushedBytes = "pushedBytes";
    /// <summary>Each platform the image holds, with its sizes, e.g. "linux/arm64 40.9 MB (17.1 MB compressed)".</summary>
    public const string Platforms = "platforms";
    /// <summary>Sizes for people, e.g. "35.2 MB (13.9 MB compressed)".</summary>
    public const string Size = "size";
    /// <summary>When the last good image was published (ISO 8601).</summary>
    public const string PublishedAt = "publishedAt";
    /// <summary>When the last good image was in the registry (ISO 8601).</summary>
    public const string PushedAt = "pushedAt";
    /// <summary>The last build's error, removed by the next good build.</summary>
    public const string LastError = "lastError";
}
