namespace DevEnv.Hosting.Clients.Oci;

/// <summary>A content descriptor in a manifest: what a blob is, its digest and its (compressed) size.</summary>
public sealed record OciDescriptor(string MediaType, string Digest, long Size);
