namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Volumes over <see cref="DockerTransport"/>.</summary>
internal sealed class VolumeOperations(DockerTransport transport) : IVolumeOperations
{
    public async Task<VolumeInspect?> TryInspectAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await transport.GetJsonAsync<VolumeInspect>(HttpMethod.Get, $"volumes/{Uri.EscapeDataString(name)}", $"inspect volume {name}", null, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            return null;
        }
    }
}
