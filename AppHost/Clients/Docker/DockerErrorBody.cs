using System.Text.Json;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Extracts the daemon's message from an error body ({"message": "..."}), falling back to the raw text.</summary>
internal static class DockerErrorBody
{
    public static string Message(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no message)";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m))
            {
                return m.GetString() ?? body.Trim();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body is the message.
        }

        return body.Trim();
    }
}
