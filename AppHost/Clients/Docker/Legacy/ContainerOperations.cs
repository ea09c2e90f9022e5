namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Containers over <see cref="DockerTransport"/>.</summary>
internal sealed class ContainerOperations(DockerTransport transport) : IContainerOperations
{
    public Task StartAsync(string idOrName, CancellationToken cancellationToken) =>
        transport.SendAndForgetAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(idOrName)}/start", $"start container {idOrName}", null, cancellationToken);

    public Task<ContainerInspect> InspectAsync(string idOrName, CancellationToken cancellationToken) =>
        transport.GetJsonAsync<ContainerInspect>(HttpMethod.Get, $"containers/{Uri.EscapeDataString(idOrName)}/json", $"inspect container {idOrName}", null, cancellationToken);

    public async Task<ContainerInspect?> TryInspectAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectAsync(idOrName, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            return null;
        }
    }

    public Task KillAsync(string idOrName, CancellationToken cancellationToken) =>
        transport.SendAndForgetAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(idOrName)}/kill", $"kill container {idOrName}", null, cancellationToken);

    public Task<IReadOnlyList<ContainerSummary>> ListByLabelAsync(string label, CancellationToken cancellationToken) =>
        transport.GetJsonAsync<IReadOnlyList<ContainerSummary>>(HttpMethod.Get, $"containers/json?all=true&filters={LabelFilters.Encode(label)}",
            $"list containers with label {label}", null, cancellationToken);

    public async Task WriteFileAsync(string idOrName, string path, ReadOnlyMemory<byte> content, UnixFileMode mode, CancellationToken cancellationToken)
    {
        // Extracted at the root so the entry's own path makes the parents; the daemon asserts that "path" is a directory.
        using var body = new StreamContent(ContainerArchive.Pack(path, content, mode, DateTimeOffset.UtcNow));
        body.Headers.ContentType = new("application/x-tar");
        await transport.SendAndForgetAsync(HttpMethod.Put, $"containers/{Uri.EscapeDataString(idOrName)}/archive?path=%2F&noOverwriteDirNonDir=true",
            $"write {path} into container {idOrName}", body, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]> ReadFileAsync(string idOrName, string path, CancellationToken cancellationToken)
    {
        using var response = await transport.SendAsync(HttpMethod.Get, $"containers/{Uri.EscapeDataString(idOrName)}/archive?path={Uri.EscapeDataString(path)}",
            $"read {path} from container {idOrName}", cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var tar = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await ContainerArchive.ReadFirstFileAsync(tar, path, cancellationToken).ConfigureAwait(false);
    }
}
