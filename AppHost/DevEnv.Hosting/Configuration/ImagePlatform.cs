namespace DevEnv.Hosting.Configuration;

/// <summary>
/// An image platform as OCI names it (os and Go's GOARCH: linux/amd64, linux/arm64), and the .NET runtime identifier the
/// app is published for to run there. kind's nodes run on the Docker Engine's own platform; DEVENV_PLATFORMS asks for
/// several, built into one image index. Pure.
/// </summary>
public sealed record ImagePlatform(string Os, string Architecture)
{
    /// <summary>linux/amd64 (x86-64).</summary>
    public static ImagePlatform LinuxAmd64 { get; } = new("linux", "amd64");

    /// <summary>linux/arm64 (Apple Silicon, Graviton, Ampere).</summary>
    public static ImagePlatform LinuxArm64 { get; } = new("linux", "arm64");

    /// <summary>The platforms DevEnv can publish .NET for, named in errors.</summary>
    public static IReadOnlyList<ImagePlatform> Supported { get; } = [LinuxAmd64, LinuxArm64];

    /// <summary>The runtime identifier to publish for, or null for a platform .NET (or DevEnv) has no linux runtime for.</summary>
    public string? RuntimeIdentifier => (Os, Architecture) switch
    {
        ("linux", "amd64") => "linux-x64",
        ("linux", "arm64") => "linux-arm64",
        _ => null,
    };

    /// <summary>The platform a runtime identifier's binaries run on, or null when it is not one we map.</summary>
    public static ImagePlatform? OfRuntimeIdentifier(string runtimeIdentifier) => runtimeIdentifier switch
    {
        "linux-x64" or "linux-musl-x64" => LinuxAmd64,
        "linux-arm64" or "linux-musl-arm64" => LinuxArm64,
        _ => null,
    };

    /// <summary>
    /// The platform of a Docker Engine from GET /version's Os and Arch (Go's names; an engine that reports the kernel's
    /// name, x86_64 or aarch64, means the same).
    /// </summary>
    public static ImagePlatform OfEngine(string? os, string architecture) => new(
        string.IsNullOrEmpty(os) ? "linux" : os.ToLowerInvariant(),
        architecture.ToLowerInvariant() switch
        {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            var arch => arch,
        });

    /// <summary>
    /// DEVENV_PLATFORMS: "linux/amd64,linux/arm64" (a variant such as /v8 is accepted and dropped). Sorted and without
    /// repeats, so the same set gives the same image index however it is written. Throws one line for a bad entry.
    /// </summary>
    public static IReadOnlyList<ImagePlatform> ParseList(string text)
    {
        var platforms = new SortedSet<ImagePlatform>(Comparer<ImagePlatform>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString())));
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.ToLowerInvariant().Split('/');
            var platform = parts.Length is 2 or 3 && parts[0].Length > 0 && parts[1].Length > 0 ? new ImagePlatform(parts[0], parts[1]) : null;
            if (platform?.RuntimeIdentifier is null)
            {
                throw new ArgumentException($"DEVENV_PLATFORMS entry '{entry}' is not a platform DevEnv builds for (use {string.Join(", ", Supported)}, comma-separated).");
            }

            platforms.Add(platform);
        }

        return [.. platforms];
    }

    /// <summary>"linux/arm64".</summary>
    public override string ToString() => $"{Os}/{Architecture}";
}
