using Docker.DotNet;
using Docker.DotNet.Models;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>Pull and push through Docker.DotNet that fail when the engine says they failed (see <see cref="StreamFailureProgress"/>).</summary>
public static class DockerImageTransfers
{
    /// <summary>Pulls <paramref name="image"/> (name[:tag] or name@digest); throws a DockerApiException with the engine's reason.</summary>
    public static async Task PullImageAsync(this IImageOperations images, string image, IProgress<JSONMessage>? progress, CancellationToken cancellationToken)
    {
        var (repository, reference, _) = ImageReference.Split(image);
        var watch = new StreamFailureProgress(progress);
        await images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = reference }, null, watch, cancellationToken).ConfigureAwait(false);
        watch.ThrowIfFailed($"pull {image}");
    }

    /// <summary>Pushes <paramref name="repository"/>:<paramref name="tag"/> anonymously to the registry its name points at.</summary>
    public static async Task PushImageAsync(this IImageOperations images, string repository, string tag, CancellationToken cancellationToken)
    {
        var watch = new StreamFailureProgress(null);
        // An empty AuthConfig still sends the X-Registry-Auth header the engine insists on; it means anonymous.
        await images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, new AuthConfig(), watch, cancellationToken).ConfigureAwait(false);
        watch.ThrowIfFailed($"push {repository}:{tag}");
    }
}
