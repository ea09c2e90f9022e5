using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.Model;

/// <summary>Helpers for Aspire snapshots.</summary>
public static class CustomResourceSnapshotExtensions
{
    /// <summary>Returns a copy with one property set (null removes it).</summary>
    public static CustomResourceSnapshot WithProperty(this CustomResourceSnapshot snapshot, string name, object? value)
    {
        var rest = snapshot.Properties.RemoveAll(p => p.Name == name);
        return snapshot with { Properties = value is null ? rest : rest.Add(new ResourcePropertySnapshot(name, value)) };
    }

    /// <summary>Returns a copy with each of <paramref name="properties"/> set.</summary>
    public static CustomResourceSnapshot WithProperties(this CustomResourceSnapshot snapshot, IEnumerable<KeyValuePair<string, string>> properties) =>
        properties.Aggregate(snapshot, (s, p) => s.WithProperty(p.Key, p.Value));

    /// <summary>A property's value as text, or null.</summary>
    public static string? Property(this CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    /// <summary>Returns a copy with one URL set (by name).</summary>
    public static CustomResourceSnapshot WithUrl(this CustomResourceSnapshot snapshot, string name, string url) =>
        snapshot with { Urls = snapshot.Urls.RemoveAll(u => u.Name == name).Add(new UrlSnapshot(name, url, IsInternal: false)) };
}
