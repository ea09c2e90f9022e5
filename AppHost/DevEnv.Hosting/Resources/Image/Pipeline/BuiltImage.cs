namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// What one build produced: a single-platform image (its manifest) or, for several platforms, an image index over
/// their manifests. <see cref="Tag"/> and <see cref="Digest"/> are what the cluster pulls; a node picks its platform.
/// </summary>
/// <param name="Tag">"src-" and the first 12 hex digits of <paramref name="Digest"/>.</param>
/// <param name="Digest">The manifest's digest, or the index's when there is more than one platform.</param>
/// <param name="MediaType">The OCI manifest or index media type.</param>
/// <param name="Reused">True when the registry already had this image (index and every platform): nothing was uploaded.</param>
/// <param name="Platforms">Each platform's image, sorted by platform.</param>
/// <param name="PushTime">Layers, configs, manifests, the index and the uploads.</param>
/// <param name="IndexBytes">The index's size in bytes when one was pushed (counted in <see cref="UploadedBytes"/>), else 0.</param>
public sealed record BuiltImage(string Tag, string Digest, string MediaType, bool Reused, IReadOnlyList<LayeredImage> Platforms, TimeSpan PushTime, long IndexBytes)
{
    /// <summary>Every platform's <c>dotnet publish</c>, one after another.</summary>
    public TimeSpan PublishTime => Platforms.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.PublishTime);

    /// <summary>Configs and compressed layers of every platform: what the registry holds for this image.</summary>
    public long CompressedBytes => Platforms.Sum(p => p.Manifest.CompressedSize);

    /// <summary>Every platform's layers inflated.</summary>
    public long UncompressedBytes => Platforms.Sum(p => p.UncompressedBytes);

    /// <summary>Bytes uploaded by this build: every platform's blobs and manifests, and the index.</summary>
    public long UploadedBytes => Platforms.Sum(p => p.UploadedBytes) + IndexBytes;

    /// <summary>Blobs uploaded by this build.</summary>
    public int UploadedBlobs => Platforms.Sum(p => p.UploadedBlobs);

    /// <summary>When the last publish finished.</summary>
    public DateTimeOffset PublishedAt => Platforms.Max(p => p.PublishedAt);

    /// <summary>One line per image for people: "linux/amd64 40.6 MB (17.0 MB compressed), linux/arm64 ...".</summary>
    public string Describe() => string.Join(", ", Platforms.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{p.Platform} {p.UncompressedBytes / 1e6:0.0} MB ({p.Manifest.CompressedSize / 1e6:0.0} MB compressed)")));
}
