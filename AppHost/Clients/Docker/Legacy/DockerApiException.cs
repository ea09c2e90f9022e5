using System.Net;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The Docker Engine answered with an error status. Carries the status code and the daemon's message.</summary>
public class DockerApiException(HttpStatusCode statusCode, string operation, string body)
    : Exception($"Docker Engine: {operation} failed with {(int)statusCode} {statusCode}: {DockerErrorBody.Message(body)}")
{
    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The raw response body (usually {"message": "..."}).</summary>
    public string Body { get; } = body;

    /// <summary>The daemon's message, without the JSON wrapper.</summary>
    public string DaemonMessage => DockerErrorBody.Message(Body);
}
