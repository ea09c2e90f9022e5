using DevEnv.Hosting.Clients.Oci;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>An image the pipeline produced (or found already in the registry) and what it cost.</summary>
/// <param name="Tag">"src-" and the first 12 hex digits of <paramref name="Digest"/>.</param>
/// <param name="Digest">The manifest digest: a function of the base, our layers and the config.</param>
/// <param name="Manifest">The manifest as the registry holds it.</param>
/// <param name="ManifestSize">The manifest's size in bytes (an image index names it with its digest).</param>
/// <param name="Platform">The platform the image is for (its config's os and architecture).</param>
/// <param name="Layers">Our layers on top of the base, in order.</param>
/// <param name="Reused">True when the registry already had this image: nothing was uploaded.</param>
/// <param name="PublishTime"><c>dotnet publish</c> (restore, compile, trim).</param>
/// <param name="PushTime">Layers, config, manifest and the upload.</param>
/// <param name="UploadedBytes">Blob and manifest bytes sent to the registry (0 when reused).</param>
/// <param name="UploadedBlobs">Blobs uploaded (mounts and blobs already there do not count).</param>
/// <param name="UncompressedBytes">Base and our layers inflated.</param>
/// <param name="PublishedAt">When the publish finished.</param>
public sealed record LayeredImage(
    string Tag,
    string Digest,
    OciManifest Manifest,
    long ManifestSize,
    Configuration.ImagePlatform Platform,
    IReadOnlyList<BuiltLayer> Layers,
    bool Reused,
    TimeSpan PublishTime,
    TimeSpan PushTime,
    long UploadedBytes,
    int UploadedBlobs,
    long UncompressedBytes,
    DateTimeOffset PublishedAt);
