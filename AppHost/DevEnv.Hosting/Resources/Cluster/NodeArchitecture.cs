using DevEnv.Hosting.Configuration;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// kind's nodes run on the Docker Engine's own architecture (arm64 on Apple Silicon). The image is built for that
/// platform unless DEVENV_PLATFORMS names others; a set that leaves the nodes' platform out, or an engine architecture
/// .NET has no runtime for, is said plainly instead of surfacing later as "exec format error" in every pod. Pure.
/// </summary>
public static class NodeArchitecture
{
    /// <summary>
    /// Null when images built for <paramref name="platforms"/> (empty: the engine's own) run natively on nodes of
    /// <paramref name="engineArchitecture"/> (GET /version's Arch); else why not, in one line.
    /// </summary>
    public static string? Mismatch(string engineArchitecture, IReadOnlyList<ImagePlatform> platforms)
    {
        var nodes = ImagePlatform.OfEngine("linux", engineArchitecture);
        if (nodes.RuntimeIdentifier is null)
        {
            return $"the Docker Engine and so kind's nodes are {engineArchitecture}: DevEnv builds .NET images for {string.Join(" and ", ImagePlatform.Supported)} only, "
                   + "so its pods could not run there";
        }

        return platforms.Count > 0 && !platforms.Contains(nodes)
            ? $"the Docker Engine and so kind's nodes are {engineArchitecture}, but DEVENV_PLATFORMS={string.Join(',', platforms)} leaves out {nodes}: "
              + $"its pods would fail with \"exec format error\" or run emulated; add {nodes} to DEVENV_PLATFORMS or leave it unset (the nodes' platform)"
            : null;
    }
}
