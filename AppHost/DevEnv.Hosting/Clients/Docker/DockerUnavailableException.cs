using System.Net.Sockets;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// The Docker Engine cannot be reached. The message says what was tried, how to fix it and where we looked,
/// so it can be shown to the user as is (never a raw socket exception).
/// </summary>
public sealed class DockerUnavailableException(string message, IReadOnlyList<string> lookedAt, Exception? inner = null)
    : Exception(Compose(message, lookedAt), inner)
{
    /// <summary>The places considered while resolving the endpoint.</summary>
    public IReadOnlyList<string> LookedAt { get; } = lookedAt;

    /// <summary>
    /// The engine at <paramref name="endpoint"/> did not answer <paramref name="operation"/> (<paramref name="cause"/> is the
    /// socket or HTTP error): names the endpoint and where it came from, and what to do, with a socket of another
    /// engine that exists on this machine when the platform default was used.
    /// </summary>
    public static DockerUnavailableException Unreachable(DockerEndpoint endpoint, string operation, Exception cause)
    {
        var socketError = cause as SocketException ?? cause.InnerException as SocketException;
        var reason = socketError?.Message ?? cause.InnerException?.Message ?? cause.Message;
        var fix = socketError is { SocketErrorCode: SocketError.AccessDenied }
            ? "Your user may not use the socket: add it to the 'docker' group (`sudo usermod -aG docker $USER`, then log in again) or use rootless Docker."
            : "Is Docker running? Start Docker Desktop (or Rancher Desktop, Colima, Podman), or on Linux `sudo systemctl start docker` "
              + "(`sudo dockerd &` without systemd). If your engine listens elsewhere, set DOCKER_HOST=unix:///path/to/docker.sock "
              + "or select it with `docker context use <name>`.";
        var found = endpoint.Source == DockerEndpointResolver.PlatformDefault
            ? DockerEndpointResolver.WellKnownSockets(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile))
                .Where(s => File.Exists(s.Path)).Select(s => $" A {s.Product} socket exists: try DOCKER_HOST=unix://{s.Path}").FirstOrDefault() ?? ""
            : "";
        return new DockerUnavailableException(
            $"Cannot reach the Docker Engine at {endpoint.Uri} (from {endpoint.Source}) for {operation}: {reason}. {fix}{found}", endpoint.LookedAt, cause);
    }

    private static string Compose(string message, IReadOnlyList<string> lookedAt) =>
        lookedAt.Count == 0 ? message : message + "\nLooked at:\n" + string.Join('\n', lookedAt.Select(l => "  - " + l));
}
