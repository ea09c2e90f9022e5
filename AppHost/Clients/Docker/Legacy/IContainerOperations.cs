namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Containers: start, inspect, kill, list by label, files in and out.</summary>
public interface IContainerOperations
{
    /// <summary>Starts a created or stopped container (starting a running one is a no-op).</summary>
    Task StartAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Inspects a container; throws <see cref="DockerNotFoundException"/> when there is none.</summary>
    Task<ContainerInspect> InspectAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Inspects a container, or null when there is none.</summary>
    Task<ContainerInspect?> TryInspectAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Sends SIGKILL.</summary>
    Task KillAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Containers carrying <paramref name="label"/> (key or key=value), running or not.</summary>
    Task<IReadOnlyList<ContainerSummary>> ListByLabelAsync(string label, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one file at the absolute <paramref name="path"/> (replacing it; missing parent directories are made 0755)
    /// by a tar upload, <c>PUT /containers/{id}/archive</c>: needs no shell in the container, running or stopped.
    /// Throws <see cref="DockerNotFoundException"/> when there is no such container.
    /// </summary>
    Task WriteFileAsync(string idOrName, string path, ReadOnlyMemory<byte> content, UnixFileMode mode, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one file out of a container, <c>GET /containers/{id}/archive</c>. Throws <see cref="DockerNotFoundException"/>
    /// when there is no such container or file.
    /// </summary>
    Task<byte[]> ReadFileAsync(string idOrName, string path, CancellationToken cancellationToken);
}
