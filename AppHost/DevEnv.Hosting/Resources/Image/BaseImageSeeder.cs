using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using Docker.DotNet.Models;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>
/// Copies a base image the local Docker Engine has (e.g. devenv-fixture/runtime-deps:10.0) into the local registry,
/// where the image pipeline reads it and mounts its layers from. Returns the reference in our registry.
/// </summary>
public static class BaseImageSeeder
{
    /// <summary>
    /// Tags <paramref name="localImage"/> as &lt;registry&gt;/&lt;name&gt;:&lt;tag&gt; and pushes it with the daemon
    /// (which treats 127.0.0.0/8 registries as plain HTTP); the temporary local tag is removed afterwards.
    /// </summary>
    public static Task<string> SeedAsync(IDockerClient docker, EnvironmentSettings settings, string localImage, CancellationToken cancellationToken)
    {
        var (repository, tag, isDigest) = ImageReference.Split(localImage);
        return isDigest
            ? throw new ArgumentException($"Seed from a tagged image, not a digest: {localImage}", nameof(localImage))
            : SeedAsync(docker, settings, localImage, repository[(repository.LastIndexOf('/') + 1)..], tag, cancellationToken);
    }

    /// <summary>
    /// Pushes the local image <paramref name="localImage"/> (a name, name@digest or image ID) as
    /// &lt;registry&gt;/<paramref name="name"/>:<paramref name="tag"/>; returns that reference (localhost form).
    /// </summary>
    public static async Task<string> SeedAsync(IDockerClient docker, EnvironmentSettings settings, string localImage, string name, string tag, CancellationToken cancellationToken)
    {
        _ = await docker.Images.InspectImageAsync(localImage, cancellationToken).ConfigureAwait(false);
        var pushRepository = $"127.0.0.1:{settings.RegistryPort}/{name}";
        await docker.Images.TagImageAsync(localImage, new ImageTagParameters { RepositoryName = pushRepository, Tag = tag }, cancellationToken).ConfigureAwait(false);
        try
        {
            await docker.Images.PushImageAsync(pushRepository, tag, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await docker.Images.DeleteImageAsync($"{pushRepository}:{tag}", new ImageDeleteParameters(), cancellationToken).ConfigureAwait(false);
        }

        return $"{settings.RegistryHostAddress}/{name}:{tag}";
    }
}
