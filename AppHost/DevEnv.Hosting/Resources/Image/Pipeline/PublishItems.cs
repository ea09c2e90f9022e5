using System.Text.Json;

namespace DevEnv.Hosting.Resources.Image.Pipeline;

/// <summary>
/// Sorts a publish folder into layers from what MSBuild says about each file (the JSON that
/// <c>-getItem:ResolvedFileToPublish,ResolvedRuntimePack -getProperty:AppHostIntermediatePath</c> writes), never from
/// file names: a file from a runtime pack (its NuGetPackageId is a ResolvedRuntimePack) is Runtime when its AssetType is
/// native and Framework otherwise; the apphost is Runtime; any other package file is Packages; the rest (the app's
/// assemblies, deps.json, runtimeconfig.json, content, static web assets, which are no ResolvedFileToPublish) is App.
/// </summary>
public static class PublishItems
{
    /// <summary>Reads <paramref name="json"/> (MSBuild's get-result output) against the files of <paramref name="publishDir"/>.</summary>
    public static (IReadOnlyList<PublishedFile> Files, string? Executable) Classify(string json, string publishDir)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var items = root.TryGetProperty("Items", out var i) ? i : default;
        var runtimePacks = Items(items, "ResolvedRuntimePack").Select(p => Metadata(p, "NuGetPackageId") ?? Metadata(p, "Identity")).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var appHost = root.TryGetProperty("Properties", out var p) && p.TryGetProperty("AppHostIntermediatePath", out var a) ? a.GetString() : null;
        var byPath = new Dictionary<string, (LayerKind Kind, bool IsAppHost)>(StringComparer.Ordinal);
        string? executable = null;
        foreach (var item in Items(items, "ResolvedFileToPublish"))
        {
            var relative = Metadata(item, "RelativePath")?.Replace('\\', '/');
            if (relative is null)
            {
                continue;
            }

            var isAppHost = !string.IsNullOrEmpty(appHost) && string.Equals(Metadata(item, "FullPath"), appHost, StringComparison.Ordinal);
            var package = Metadata(item, "NuGetPackageId");
            var kind = isAppHost ? LayerKind.Runtime
                : package is { Length: > 0 } && runtimePacks.Contains(package) ? (Metadata(item, "AssetType") == "native" ? LayerKind.Runtime : LayerKind.Framework)
                : package is { Length: > 0 } ? LayerKind.Packages
                : LayerKind.App;
            byPath[relative] = (kind, isAppHost);
            executable = isAppHost ? relative : executable;
        }

        // Walked without following links out of the folder (PublishFolder): a host file never ends up in the image.
        var files = PublishFolder.Files(publishDir)
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .Select(f => new PublishedFile(f.Relative, f.Full, byPath.TryGetValue(f.Relative, out var known) ? known.Kind : LayerKind.App))
            .ToList();
        return (files, executable);
    }

    /// <summary>Each ResolvedFileToPublish item of <paramref name="json"/>: its path in the publish folder and the file publish copied it from.</summary>
    public static IReadOnlyList<(string Relative, string Source)> Sources(string json)
    {
        using var document = JsonDocument.Parse(json);
        var items = document.RootElement.TryGetProperty("Items", out var i) ? i : default;
        return [.. Items(items, "ResolvedFileToPublish")
            .Select(item => (Relative: Metadata(item, "RelativePath")?.Replace('\\', '/'), Source: Metadata(item, "FullPath")))
            .Where(item => item.Relative is not null && item.Source is not null)
            .Select(item => (item.Relative!, item.Source!))];
    }

    private static IEnumerable<JsonElement> Items(JsonElement items, string name) =>
        items.ValueKind == JsonValueKind.Object && items.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];

    private static string? Metadata(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
