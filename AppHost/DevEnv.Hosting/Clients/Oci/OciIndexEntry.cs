using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Clients.Oci;

/// <summary>One entry of an image index (OCI) or manifest list (Docker): a platform's manifest.</summary>
public sealed record OciIndexEntry(string MediaType, string Digest, long Size, ImagePlatform? Platform);
