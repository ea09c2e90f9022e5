using System.Net;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// A Kubernetes API call failed: the API server could not be reached, or it answered with an error. The message
/// is one line naming the API server (or the request) and what to do.
/// </summary>
public sealed class KubernetesApiException(string message, HttpStatusCode? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status the API server answered with; null when it was not reached.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>Whether the object asked for does not exist.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
}
