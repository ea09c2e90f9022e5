namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>A layer of ours, compressed and on disk, ready to upload.</summary>
/// <param name="Kind">Which layer.</param>
/// <param name="Digest">sha256 of the gzip blob.</param>
/// <param name="DiffId">sha256 of the uncompressed tar (what the image config lists).</param>
/// <param name="Size">Compressed bytes.</param>
/// <param name="UncompressedSize">Tar bytes.</param>
/// <param name="BlobPath">The blob file.</param>
/// <param name="Files">How many files it holds.</param>
/// <param name="Reused">True when the cache had it (no tar written, nothing compressed).</param>
public sealed record BuiltLayer(LayerKind Kind, string Digest, string DiffId, long Size, long UncompressedSize, string BlobPath, int Files, bool Reused);
