using System.Text.Json;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>Extracts the daemon's message from an error body ({"message": "..."}), falling back to the raw text.</summary>
public static class DockerErrorBody
{
    /// <summary>
    /// The engine's own words for a refusal, e.g. "No such image: x:1", without Docker.DotNet's "Docker API responded with
    /// status code=…, response='{…}'" wrapping.
    /// </summary>
    public static string DaemonMessage(this global::Docker.DotNet.DockerApiException exception) => exception switch
    {
        DockerStreamFailedException streamed => streamed.Error,
        _ => Message(exception.ResponseBody ?? ""),
    };

    /// <summary>The message of an error body; the body itself when it is not the engine's JSON.</summary>
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
