using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Clients.Oci;

/// <summary>An image index has no manifest for the platform asked for; <see cref="Available"/> says what it has.</summary>
public sealed class OciPlatformMissingException(string image, ImagePlatform platform, string available)
    : Exception($"{image} is an image index without a {platform} image (it has {(available.Length == 0 ? "no platform entries" : available)}).")
{
    /// <summary>The platform that was asked for.</summary>
    public ImagePlatform Platform { get; } = platform;

    /// <summary>The platforms the index has, e.g. "linux/amd64".</summary>
    public string Available { get; } = available;
}
