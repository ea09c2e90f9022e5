using System.Net;
using DevEnv.Hosting.Clients.Docker;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>The kind cluster's Docker Engine operations over Docker.DotNet.</summary>
public sealed class ClusterEngine(IDockerClient docker) : IClusterEngine
{
    /// <inheritdoc />
    public Task<ContainerInspectResponse?> TryInspectContainerAsync(string idOrName, CancellationToken cancellationToken) =>
        docker.Containers.TryInspectContainerAsync(idOrName, cancellationToken);

    /// <inheritdoc />
    public Task StartContainerAsync(string idOrName, CancellationToken cancellationToken) =>
        docker.Containers.StartContainerAsync(idOrName, new ContainerStartParameters(), cancellationToken);

    /// <inheritdoc />
    public async Task<bool> HasImageAsync(string image, CancellationToken cancellationToken) =>
        await docker.Images.TryInspectImageAsync(image, cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    public Task PullImageAsync(string image, Action<string> log, CancellationToken cancellationToken) =>
        docker.Images.PullImageAsync(image, new Progress<JSONMessage>(m => log(Line(m))), cancellationToken);

    // "<layer> Downloading 1234567/30000000": Docker.DotNet keeps the byte counts of a message, not the CLI's progress bar.
    private static string Line(JSONMessage message) =>
        string.Join(' ', new[] { message.ID, message.Status, message.Progress is { Total: > 0 } p ? $"{p.Current}/{p.Total}" : null }
            .Where(s => !string.IsNullOrEmpty(s)));

    /// <inheritdoc />
    public async Task WriteFileAsync(string container, string path, ReadOnlyMemory<byte> content, UnixFileMode mode, CancellationToken cancellationToken)
    {
        // Extracted at the root so the entry's own path makes the parents: the engine insists that Path is a directory.
        // Docker.DotNet's AllowOverwriteDirWithFile is the query's noOverwriteDirNonDir: true refuses to replace a directory by the file.
        await using var tar = ContainerArchive.Pack(path, content, mode, DateTimeOffset.UtcNow);
        // Asked first because the engine answers 404 for a missing container before it has read the upload and closes
        // the socket: the upload then fails as a broken pipe, which would read as "cannot reach the Docker Engine".
        if (await TryInspectContainerAsync(container, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new DockerContainerNotFoundException(HttpStatusCode.NotFound, $"{{\"message\":\"No such container: {container}\"}}");
        }

        await docker.Containers.ExtractArchiveToContainerAsync(container, new CopyToContainerParameters { Path = "/", AllowOverwriteDirWithFile = true },
            tar, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadFileAsync(string container, string path, CancellationToken cancellationToken)
    {
        // The archive endpoint reads a stopped container's filesystem as well as a running one's.
        var archive = await docker.Containers.GetArchiveFromContainerAsync(container, new ContainerPathStatParameters { Path = path }, statOnly: false,
            cancellationToken).ConfigureAwait(false);
        await using var tar = archive.Stream ?? throw new InvalidDataException($"the engine sent no archive for {path} in {container}");
        return await ContainerArchive.ReadFirstFileAsync(tar, path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ConnectNetworkAsync(string network, string container, CancellationToken cancellationToken)
    {
        try
        {
            await docker.Networks.ConnectNetworkAsync(network, new NetworkConnectParameters { Container = container }, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict or HttpStatusCode.InternalServerError
                                             && ex.DaemonMessage().Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            // Already connected (engines answer 403, 409 or 500 with "endpoint ... already exists"): connecting is idempotent for us.
        }
    }

    /// <inheritdoc />
    public async Task<string> ArchitectureAsync(CancellationToken cancellationToken) =>
        (await docker.System.GetVersionAsync(cancellationToken).ConfigureAwait(false)).Arch;
}
