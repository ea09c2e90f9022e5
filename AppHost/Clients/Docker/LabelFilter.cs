using System.Text.Json;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Builds the URL-encoded <c>filters</c> query parameter for label filters ({"label":["k=v"]}).</summary>
internal static class LabelFilter
{
    public static string Encode(string label) =>
        Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = [label] }));
}
