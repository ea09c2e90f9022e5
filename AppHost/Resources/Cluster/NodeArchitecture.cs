namespace DevEnv.AppHost.Resources.Cluster;

/// <summary>
/// kind's nodes run on the Docker Engine's own architecture (arm64 on Apple Silicon), while the app is published
/// for one runtime identifier. Until images are built per node architecture, a mismatch is said plainly instead of
/// surfacing later as "exec format error" in every pod. Pure.
/// </summary>
public static class NodeArchitecture
{
    /// <summary>The Docker Engine's architecture (Go's GOARCH, as GET /version reports it) a runtime identifier's binaries run on.</summary>
    public static string? EngineArchitectureOf(string runtimeIdentifier) => runtimeIdentifier switch
    {
        "linux-x64" or "linux-musl-x64" => "amd64",
        "linux-arm64" or "linux-musl-arm64" => "arm64",
        _ => null,
    };

    /// <summary>Null when images for <paramref name="runtimeIdentifier"/> run natively on an engine of <paramref name="engineArchitecture"/>; else why not.</summary>
    public static string? Mismatch(string engineArchitecture, string runtimeIdentifier) =>
        EngineArchitectureOf(runtimeIdentifier) is { } wanted && !string.Equals(wanted, engineArchitecture, StringComparison.OrdinalIgnoreCase)
            ? $"the Docker Engine and so kind's nodes are {engineArchitecture}, but the app is published for {runtimeIdentifier} ({wanted}): " +
              "its pods would fail with \"exec format error\" or run emulated; building images for the nodes' architecture is not supported yet"
            : null;
}
