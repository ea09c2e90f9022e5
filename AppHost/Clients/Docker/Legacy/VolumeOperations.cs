namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Volumes over <see cref="DockerTransport"/>.</summary>
internal sealed class VolumeOperations(DockerTransport transport) : IVolumeOperations
{
    public Task<VolumeInspect> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        transport.GetJsonAsync<VolumeInspect>(HttpMethod.Post, "volumes/create", $"create volume {name}", new { Name = name, Labels = labels }, cancellationToken);

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

    public async Task RemoveAsync(string name, bool force, CancellationToken cancellationToken)
    {
        try
        {
            await transport.SendAndForgetAsync(HttpMethod.Delete, $"volumes/{Uri.EscapeDataString(name)}?force={(force ? "true" : "false")}", $"remove volume {name}", null, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            // Already gone.
        }
    }

    public async Task<IReadOnlyList<VolumeInspect>> ListByLabelAsync(string label, CancellationToken cancellationToken)
    {
        var list = await transport.GetJsonAsync<VolumeList>(HttpMethod.Get, $"volumes?filters={LabelFilters.Encode(label)}", $"list volumes with label {label}", null, cancellationToken).ConfigureAwait(false);
        return list.Volumes ?? [];
    }

    private sealed record VolumeList(IReadOnlyList<VolumeInspect>? Volumes);
}
