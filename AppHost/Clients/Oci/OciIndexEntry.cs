using DevEnv.AppHost.Configuration;

namespace DevEnv.AppHost.Clients.Oci;

/// <summary>One entry of an image index (OCI) or manifest list (Docker): a platform's manifest.</summary>
public sealed record OciIndexEntry(string MediaType, string Digest, long Size, ImagePlatform? Platform);
