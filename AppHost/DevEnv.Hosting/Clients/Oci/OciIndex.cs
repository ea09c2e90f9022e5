using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Clients.Oci;

/// <summary>Choosing a platform's manifest from an image index or manifest list. Pure.</summary>
public static class OciIndex
{
    /// <summary>
    /// The entry for <paramref name="platform"/> (os and architecture; an arm64 variant such as v8 is the same arm64),
    /// or null when the index has none. Entries without a platform (attestations, unknown/unknown) never match.
    /// </summary>
    public static OciIndexEntry? Pick(IReadOnlyList<OciIndexEntry> entries, ImagePlatform platform) =>
        entries.FirstOrDefault(e => e.Platform is { } p
            && string.Equals(p.Os, platform.Os, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Architecture, platform.Architecture, StringComparison.OrdinalIgnoreCase));

    /// <summary>The platforms an index offers, for errors ("linux/amd64, linux/arm64").</summary>
    public static string Describe(IReadOnlyList<OciIndexEntry> entries) =>
        string.Join(", ", entries.Select(e => e.Platform?.ToString()).OfType<string>().Distinct(StringComparer.Ordinal));
}
