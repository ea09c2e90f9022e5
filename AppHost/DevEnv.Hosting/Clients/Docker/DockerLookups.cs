using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>Inspections where "there is none" is an answer, not an error: null instead of Docker.DotNet's not-found exceptions.</summary>
public static class DockerLookups
{
    /// <summary>The container, or null when there is none of that name or ID.</summary>
    public static async Task<ContainerInspectResponse?> TryInspectContainerAsync(this IContainerOperations containers, string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await containers.InspectContainerAsync(idOrName, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The image, or null when the engine does not have it.</summary>
    public static async Task<ImageInspectResponse?> TryInspectImageAsync(this IImageOperations images, string image, CancellationToken cancellationToken)
    {
        try
        {
            return await images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The volume, or null when there is none (Docker.DotNet has no volume-specific not-found type: a plain 404).</summary>
    public static async Task<VolumeResponse?> TryInspectVolumeAsync(this IVolumeOperations volumes, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await volumes.InspectAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
