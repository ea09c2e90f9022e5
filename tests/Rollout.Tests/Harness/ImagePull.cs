namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// One <c>docker pull</c> by the stand-in node, read from the engine's own progress lines: which of the manifest's layers
/// it downloaded and which it already had, with their compressed sizes from the registry's manifest.
/// </summary>
/// <param name="Image">The reference pulled.</param>
/// <param name="Fetched">Layers downloaded ("Pull complete"): digest and compressed size.</param>
/// <param name="Present">Layers the node already had ("Already exists").</param>
/// <param name="ConfigBytes">The image config, always fetched for an image the node does not have.</param>
/// <param name="ManifestBytes">The manifest itself.</param>
/// <param name="FullImageBytes">Config plus every layer: what a node with none of them pulls.</param>
public sealed record ImagePull(string Image, IReadOnlyList<KeyValuePair<string, long>> Fetched, IReadOnlyList<string> Present, long ConfigBytes, long ManifestBytes, long FullImageBytes)
{
    /// <summary>Bytes the pull transferred: the fetched layers, the config and the manifest.</summary>
    public long BytesPulled => Fetched.Sum(l => l.Value) + ConfigBytes + ManifestBytes;

    /// <summary>One line for reports.</summary>
    public override string ToString() =>
        $"pull {Image}: fetched {Fetched.Count} layer(s) {Kb(Fetched.Sum(l => l.Value))} + config {Kb(ConfigBytes)} + manifest {Kb(ManifestBytes)} = {Kb(BytesPulled)}; " +
        $"{Present.Count} layer(s) already present; the full image is {Kb(FullImageBytes)}";

    private static string Kb(long bytes) => (bytes / 1000.0).ToString("#,0.0", System.Globalization.CultureInfo.InvariantCulture) + " KB";
}
