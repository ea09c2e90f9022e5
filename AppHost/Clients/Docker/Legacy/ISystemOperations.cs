namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Daemon-wide calls: is it there, which version.</summary>
public interface ISystemOperations
{
    /// <summary>GET /_ping; throws <see cref="DockerUnavailableException"/> with an actionable message when the daemon is not reachable.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>GET /version.</summary>
    Task<DockerVersion> GetVersionAsync(CancellationToken cancellationToken);
}
