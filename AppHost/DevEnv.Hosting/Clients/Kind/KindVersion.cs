using System.Text.RegularExpressions;

namespace DevEnv.Hosting.Clients.Kind;

/// <summary>
/// The release of the installed kind, read from <c>kind version</c> ("kind v0.32.0 go1.26.2 linux/amd64"). kind before
/// <see cref="Minimum"/> writes a kubeadm configuration that Kubernetes 1.36 (the pinned node image) rejects, so the
/// cluster checks it before it creates anything.
/// </summary>
public static partial class KindVersion
{
    /// <summary>The oldest kind that builds a working 1.36 cluster (the release the pinned node image was made for).</summary>
    public static readonly Version Minimum = new(0, 32, 0);

    /// <summary>The version in <paramref name="output"/>, or null when the text names none (a build from source may say "v0.33.0-alpha").</summary>
    public static Version? Parse(string output)
    {
        var match = Pattern().Match(output);
        return match.Success
            ? new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value))
            : null;
    }

    /// <summary>Null when <paramref name="output"/> names kind <see cref="Minimum"/> or later (or no version at all); otherwise what to do.</summary>
    public static string? TooOld(string output) =>
        Parse(output) is { } version && version < Minimum
            ? $"kind v{version} is too old: kind before v{Minimum} writes a kubeadm configuration Kubernetes 1.36 rejects. " +
              $"Install kind v{Minimum} or later: {KindClient.InstallHint}"
            : null;

    [GeneratedRegex(@"\bv(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex Pattern();
}
