namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Images: inspect, pull, tag, push, remove.</summary>
public interface IImageOperations
{
    /// <summary>Inspects an image; throws <see cref="DockerNotFoundException"/> when it is not present locally.</summary>
    Task<ImageInspect> InspectAsync(string image, CancellationToken cancellationToken);

    /// <summary>Inspects an image, or null when it is not present locally.</summary>
    Task<ImageInspect?> TryInspectAsync(string image, CancellationToken cancellationToken);

    /// <summary>Pulls <paramref name="image"/> (name[:tag] or name@digest), reporting each progress message.</summary>
    Task PullAsync(string image, IProgress<PullProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Tags <paramref name="source"/> as <paramref name="repository"/>:<paramref name="tag"/>.</summary>
    Task TagAsync(string source, string repository, string tag, CancellationToken cancellationToken);

    /// <summary>Pushes <paramref name="repository"/>:<paramref name="tag"/> to the registry named in the repository (anonymous).</summary>
    Task PushAsync(string repository, string tag, IProgress<PullProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Removes an image reference (and the image when nothing else refers to it).</summary>
    Task RemoveAsync(string image, bool force, CancellationToken cancellationToken);
}
