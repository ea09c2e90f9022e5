using System.Globalization;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// Where collected traces, dumps and debugger settings go: <c>&lt;state folder&gt;/diagnostics/&lt;pod&gt;/</c>. They are
/// kept by <c>down</c> (a dump is what one looks at after the pod is gone) and removed by <c>down --purge</c>.
/// </summary>
/// <param name="stateDirectory">The environment's state folder (<c>EnvironmentSettings.ResolvedStateDirectory</c>).</param>
public sealed class DiagnosticsFolder(string stateDirectory)
{
    /// <summary>The folder's name under the state folder.</summary>
    public const string Name = "diagnostics";

    /// <summary>The folder itself.</summary>
    public string Root { get; } = Path.Combine(stateDirectory, Name);

    /// <summary>A new file's path for <paramref name="pod"/>, named by kind and time so that one never replaces another.</summary>
    public string NewFile(string pod, string kind, string extension, DateTimeOffset now)
    {
        var folder = Path.Combine(Root, Safe(pod));
        Directory.CreateDirectory(folder);
        var stamp = now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(folder, $"{kind}-{stamp}{extension}");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder, $"{kind}-{stamp}-{n}{extension}");
        }

        return path;
    }

    /// <summary>Removes everything collected (<c>down --purge</c>); returns how many files went.</summary>
    public int Purge()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }

        var count = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(Root, recursive: true);
        return count;
    }

    // Pod names are DNS labels already; this only keeps a hostile name from leaving the folder.
    private static string Safe(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')).TrimStart('.') is { Length: > 0 } s ? s : "_";
}
