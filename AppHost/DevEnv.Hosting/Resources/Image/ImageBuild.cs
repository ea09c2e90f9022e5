namespace DevEnv.Hosting.Resources.Image;

/// <summary>A successfully built (or reused) image and what it cost.</summary>
/// <param name="Tag">The content tag.</param>
/// <param name="ImageReference">How the cluster pulls it: localhost:&lt;port&gt;/&lt;repository&gt;:&lt;tag&gt; (kind's hosts.toml maps it to the registry).</param>
/// <param name="Digest">The manifest digest (the image index's when built for several platforms).</param>
/// <param name="Reused">True when the registry already had this image and nothing was uploaded.</param>
/// <param name="PublishTime">Restore, compile and trim (dotnet publish; it runs for every build).</param>
/// <param name="PushTime">Layers, config, the registry check and the upload.</param>
/// <param name="CompressedBytes">Config plus compressed layers: what a pull transfers (summed over the platforms of an index).</param>
/// <param name="UncompressedBytes">Layers inflated: what the image takes on disk (summed over the platforms of an index).</param>
/// <param name="PushedBytes">Bytes actually uploaded in this build: blobs new to the registry and the manifest (0 when reused).</param>
/// <param name="PushedLayers">How many blobs were uploaded.</param>
/// <param name="CompletedAt">When the image was in the registry.</param>
public sealed record ImageBuild(
    string Tag,
    string ImageReference,
    string Digest,
    bool Reused,
    TimeSpan PublishTime,
    TimeSpan PushTime,
    long CompressedBytes,
    long UncompressedBytes,
    long PushedBytes,
    int PushedLayers,
    DateTimeOffset CompletedAt)
{
    /// <summary>Edit-to-pushed time of this build.</summary>
    public TimeSpan TotalTime => PublishTime + PushTime;

    /// <summary>The reference pinned by digest.</summary>
    public string ImageReferenceByDigest => ImageReference[..ImageReference.LastIndexOf(':')] + "@" + Digest;
}
