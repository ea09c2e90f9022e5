namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Daemon-wide calls over <see cref="DockerTransport"/>.</summary>
internal sealed class SystemOperations(DockerTransport transport) : ISystemOperations
{
    public Task PingAsync(CancellationToken cancellationToken) =>
        transport.SendAndForgetAsync(HttpMethod.Get, "_ping", "ping", null, cancellationToken);

    public Task<DockerVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        transport.GetJsonAsync<DockerVersion>(HttpMethod.Get, "version", "version", null, cancellationToken);
}
