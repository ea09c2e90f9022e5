using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
// Aliased because this namespace still holds the legacy client's types of these names (ported at merge with issue 15's cluster work).
using EngineApiException = Docker.DotNet.DockerApiException;
using EngineContainers = Docker.DotNet.IContainerOperations;
using EngineImages = Docker.DotNet.IImageOperations;
using EngineVolumes = Docker.DotNet.IVolumeOperations;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Inspections where "there is none" is an answer, not an error: null instead of Docker.DotNet's not-found exceptions.</summary>
public static class DockerLookups
{
    /// <summary>The container, or null when there is none of that name or ID.</summary>
    public static async Task<ContainerInspectResponse?> TryInspectContainerAsync(this EngineContainers containers, string idOrName, CancellationToken cancellationToken)
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
    public static async Task<ImageInspectResponse?> TryInspectImageAsync(this EngineImages images, string image, CancellationToken cancellationToken)
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
    public static async Task<VolumeResponse?> TryInspectVolumeAsync(this EngineVolumes volumes, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await volumes.InspectAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
