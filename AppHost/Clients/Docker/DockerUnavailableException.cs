namespace DevEnv.AppHost.Clients.Docker;

/// <summary>
/// The Docker Engine cannot be reached. The message says what was tried, how to fix it and where we looked,
/// so it can be shown to the user as is (never a raw socket exception).
/// </summary>
public sealed class DockerUnavailableException(string message, IReadOnlyList<string> lookedAt, Exception? inner = null)
    : Exception(Compose(message, lookedAt), inner)
{
    /// <summary>The places considered while resolving the endpoint.</summary>
    public IReadOnlyList<string> LookedAt { get; } = lookedAt;

    private static string Compose(string message, IReadOnlyList<string> lookedAt) =>
        lookedAt.Count == 0 ? message : message + "\nLooked at:\n" + string.Join('\n', lookedAt.Select(l => "  - " + l));
}
