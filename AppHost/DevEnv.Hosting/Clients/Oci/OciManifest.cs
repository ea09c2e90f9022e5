namespace DevEnv.Hosting.Clients.Oci;

/// <summary>An image manifest (OCI or Docker v2 schema 2), with the digest the registry reported for it.</summary>
public sealed record OciManifest(string Digest, string MediaType, OciDescriptor Config, IReadOnlyList<OciDescriptor> Layers)
{
    /// <summary>What a pull transfers: config plus compressed layers.</summary>
    public long CompressedSize => Config.Size + Layers.Sum(l => l.Size);

    /// <summary>Every blob the manifest refers to.</summary>
    public IEnumerable<OciDescriptor> Blobs => Layers.Prepend(Config);
}
