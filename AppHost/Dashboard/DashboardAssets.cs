using System.Collections.Concurrent;

namespace DevEnv.AppHost.Dashboard;

/// <summary>
/// The dashboard's HTML, JavaScript and CSS, embedded in the assembly (no front-end build, nothing fetched
/// from a CDN), served from memory.
/// </summary>
internal static class DashboardAssets
{
    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new(StringComparer.Ordinal);

    /// <summary>The bytes of an embedded file (e.g. "app.js"), or null when there is none.</summary>
    public static byte[]? Get(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream($"dashboard/{name}");
        if (stream is null)
        {
            return null;
        }

        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    });

    /// <summary>The content type for a file name.</summary>
    public static string ContentType(string fileName) => Path.GetExtension(fileName) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
