using System.Net;

namespace DevEnv.Hosting.Clients.Oci;

/// <summary>A registry answered with an error status (or could not be reached: then StatusCode is null).</summary>
public sealed class OciRegistryException(HttpStatusCode? statusCode, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status, or null when the registry did not answer.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>True when trying again may succeed (a reset, a timeout, a 429 or 5xx): the client retries these a few times.</summary>
    public bool IsTransient { get; init; }
}
