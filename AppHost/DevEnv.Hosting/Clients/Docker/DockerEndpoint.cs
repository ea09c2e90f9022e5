namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// Where the Docker Engine API is reached, and how we found out (for error messages).
/// </summary>
/// <param name="Uri">unix:///path/to/docker.sock or tcp://host:port.</param>
/// <param name="Source">In words: "DOCKER_HOST", "docker context 'colima'", "the platform default".</param>
/// <param name="LookedAt">Every place considered, in order, with what was found there.</param>
public sealed record DockerEndpoint(Uri Uri, string Source, IReadOnlyList<string> LookedAt)
{
    /// <summary>Whether the endpoint is a unix domain socket.</summary>
    public bool IsUnixSocket => Uri.Scheme == "unix";

    /// <summary>The socket path for unix endpoints.</summary>
    public string SocketPath => Uri.LocalPath;

    /// <inheritdoc />
    public override string ToString() => $"{Uri} (from {Source})";
}
