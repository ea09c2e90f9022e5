namespace DevEnv.AppHost.Clients.Docker;

/// <summary>GET /containers/{id}/top: the processes in a container as ps lists them (on the host).</summary>
public sealed record ContainerTop
{
    /// <summary>Column titles, e.g. UID, PID, CMD.</summary>
    public IReadOnlyList<string> Titles { get; init; } = [];

    /// <summary>One row per process.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Processes { get; init; } = [];
}
