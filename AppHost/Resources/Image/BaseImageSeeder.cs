using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Configuration;

namespace DevEnv.AppHost.Resources.Image;

/// <summary>
/// For machines that cannot pull the official base (ours): copies a base image the local Docker Engine has
/// (e.g. devenv-fixture/runtime-deps:10.0) into the local registry, because the SDK reads base images from
/// registries only, never from the daemon. Returns the reference to pass as the base image.
/// </summary>
public static class BaseImageSeeder
{
    /// <summary>
    /// Tags <paramref name="localImage"/> as &lt;registry&gt;/&lt;name&gt;:&lt;tag&gt; and pushes it with the daemon
    /// (which treats 127.0.0.0/8 registries as plain HTTP); the temporary local tag is removed afterwards.
    /// </summary>
    public static async Task<string> SeedAsync(IDockerClient docker, EnvironmentSettings settings, string localImage, CancellationToken cancellationToken)
    {
        var (repository, tag, isDigest) = ImageReference.Split(localImage);
        if (isDigest)
        {
            throw new ArgumentException($"Seed from a tagged image, not a digest: {localImage}", nameof(localImage));
        }

        _ = await docker.Images.InspectAsync(localImage, cancellationToken).ConfigureAwait(false);
        var name = repository[(repository.LastIndexOf('/') + 1)..];
        var pushRepository = $"127.0.0.1:{settings.RegistryPort}/{name}";
        await docker.Images.TagAsync(localImage, pushRepository, tag, cancellationToken).ConfigureAwait(false);
        try
        {
            await docker.Images.PushAsync(pushRepository, tag, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await docker.Images.RemoveAsync($"{pushRepository}:{tag}", force: false, cancellationToken).ConfigureAwait(false);
        }

        return $"{settings.RegistryHostAddress}/{name}:{tag}";
    }
}
