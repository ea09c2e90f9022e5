using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>
/// The image a container resource (a Redis, a Postgres) runs, as kind's nodes should pull it. When the local Docker
/// Engine has the image, it is copied into our registry under its own path and a tag keyed by the engine's image ID
/// (<c>library/redis:8.6-0123456789ab</c>), so the nodes pull it from there: nothing is downloaded twice, an image
/// built or loaded only on this machine runs, and no node needs to reach Docker Hub. When the engine does not have it,
/// the nodes pull it from its registry themselves, as any cluster would. On a remote target it is left as it is.
/// </summary>
public sealed class EngineImageMirror(IDockerClient docker, EnvironmentSettings settings, IOciRegistryClient registry)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The repository path of <paramref name="image"/> without its registry host (<c>library/redis</c> for <c>redis</c>).</summary>
    public static string PathOf(string image)
    {
        var (repository, _, _) = ImageReference.Split(image);
        var host = BaseImageResolver.RegistryHost(repository);
        var path = repository.StartsWith(host + "/", StringComparison.Ordinal) ? repository[(host.Length + 1)..]
            : repository.StartsWith("docker.io/", StringComparison.Ordinal) ? repository["docker.io/".Length..]
            : repository;
        return host == "registry-1.docker.io" && !path.Contains('/', StringComparison.Ordinal) ? "library/" + path : path;
    }

    /// <summary>
    /// The reference the cluster pulls for <paramref name="image"/>: the copy in our registry (made on first use), or the
    /// image itself when the engine does not have it, or on a remote target.
    /// </summary>
    public async Task<string> ResolveAsync(string image, ResourceLog log, CancellationToken cancellationToken)
    {
        if (settings.IsRemote)
        {
            return image;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var local = await docker.Images.TryInspectImageAsync(image, cancellationToken).ConfigureAwait(false);
            if (local is null)
            {
                log.Info($"{image} is not in the local Docker Engine: the cluster's nodes pull it from {BaseImageResolver.RegistryHost(image)}");
                return image;
            }

            var path = PathOf(image);
            var tag = BaseImageResolver.SeedTag(image, local.ID);
            var copy = $"{settings.RegistryHostAddress}/{path}:{tag}";
            if (await registry.TryGetManifestAsync(path, tag, cancellationToken).ConfigureAwait(false) is null)
            {
                copy = await BaseImageSeeder.SeedAsync(docker, settings, local.ID, path, tag, cancellationToken).ConfigureAwait(false);
                log.Info($"{image} ({local.ID[..19]}): copied from the local Docker Engine into our registry as {copy}");
            }

            return copy;
        }
        finally
        {
            _gate.Release();
        }
    }
}
