using System.Text.Json;

namespace DevEnv.Hosting.Dashboard;

/// <summary>Reads one line of the dashboard's log (.NET's JSON console formatter: LogLevel, Category, Message, Exception).</summary>
internal static class DashboardLogLine
{
    // The dashboard's gRPC client of the resource service logs under these categories.
    private static readonly string[] ClientCategories = ["Aspire.Dashboard.ServiceClient", "Grpc.Net.Client"];

    /// <summary>
    /// The error in one line when <paramref name="content"/> is an Error or Critical entry of the dashboard's resource
    /// client (e.g. <c>Status(StatusCode="Unavailable", Detail="Error connecting to subchannel.")</c>), otherwise null.
    /// </summary>
    public static string? ResourceServiceError(string content)
    {
        // A line may carry a timestamp before the JSON.
        var start = content.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(content.AsMemory(start));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || Text(root, "LogLevel") is not ("Error" or "Critical")
                || Text(root, "Category") is not { } category
                || !ClientCategories.Any(c => category.StartsWith(c, StringComparison.Ordinal)))
            {
                return null;
            }

            // The exception's first line says what failed; the message only counts the attempts.
            var exception = Text(root, "Exception")?.Split('\n')[0].Trim();
            var message = Text(root, "Message")?.Trim();
            return string.IsNullOrEmpty(exception) ? message : StripType(exception);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // "Grpc.Core.RpcException: Status(...)" → "Status(...)"
    private static string StripType(string exception)
    {
        var colon = exception.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !exception[..colon].Contains(' ', StringComparison.Ordinal) ? exception[(colon + 2)..] : exception;
    }
}
