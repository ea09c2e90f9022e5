using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using Docker.DotNet.Models;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>
/// Gets the base image into our registry, where the pipeline reads its config and mounts its layers from. The copy is
/// keyed by the local image's ID (&lt;name&gt;:&lt;tag&gt;-&lt;12 hex of the ID&gt;), so two bases of the same name and
/// tag from different places do not collide, and a rebuilt or re-pulled base (a tag that moved) is a new copy and
/// gives a new image. A base that came from a registry is pulled again once per process when that registry answers,
/// so a moved tag is seen; one built on this machine is used as the Docker Engine has it.
/// </summary>
public sealed class BaseImageResolver(IDockerClient docker, EnvironmentSettings settings, IOciRegistryClient localRegistry, Func<string, CancellationToken, Task<bool>>? remoteAnswers = null)
{
    private readonly Func<string, CancellationToken, Task<bool>> _remoteAnswers = remoteAnswers ?? RegistryAnswersAsync;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _refreshed = new(StringComparer.Ordinal);

    /// <summary>
    /// How a base reaches a remote registry (DEVENV_REGISTRY): (local image, repository, tag) → digest. The engine's push
    /// cannot be used there (it would need the registry's CA and credentials), so our client pushes its saved image.
    /// </summary>
    public Func<string, IOciRegistryClient, string, string, CancellationToken, Task<string>> CopyFromEngine { get; init; } = EngineImages.CopyToRegistryAsync;

    /// <summary>How long the remote registry gets to answer GET /v2/ before it counts as unreachable.</summary>
    public static TimeSpan RemoteTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The registry host of an image reference ("registry-1.docker.io" for Docker Hub names).</summary>
    public static string RegistryHost(string image)
    {
        var first = image.Split('/')[0];
        return image.Contains('/', StringComparison.Ordinal) && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            ? first
            : "registry-1.docker.io";
    }

    /// <summary>The tag of the seeded copy: the source's tag (or "pinned" for a digest) and the first 12 hex digits of the local image ID.</summary>
    public static string SeedTag(string baseImage, string imageId)
    {
        var (_, reference, isDigest) = ImageReference.Split(baseImage);
        return $"{(isDigest ? "pinned" : reference)}-{imageId[(imageId.IndexOf(':', StringComparison.Ordinal) + 1)..][..12]}";
    }

    /// <summary>
    /// Returns the reference in our registry to build on: <paramref name="baseImage"/> itself when it is there already,
    /// else its copy. Throws <see cref="ImageBuildFailedException"/> with one line when there is no way to get it.
    /// </summary>
    public async Task<string> ResolveAsync(string baseImage, ResourceLog log, CancellationToken cancellationToken)
    {
        var host = RegistryHost(baseImage);
        if (host == settings.RegistryHostAddress || host == $"127.0.0.1:{settings.RegistryPort}")
        {
            return baseImage;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var local = await docker.Images.TryInspectImageAsync(baseImage, cancellationToken).ConfigureAwait(false);
            if (local is null || (CameFromItsRegistry(local, baseImage) && _refreshed.Add(baseImage)))
            {
                local = await PullAsync(baseImage, host, local, log, cancellationToken).ConfigureAwait(false);
            }

            if (local is null)
            {
                throw Unavailable(baseImage, host, "the pull gave no image");
            }

            var (repository, _, _) = ImageReference.Split(baseImage);
            var name = repository[(repository.LastIndexOf('/') + 1)..];
            var tag = SeedTag(baseImage, local.ID);
            // A remote registry keeps the copy under its path too (team/devenv/runtime-deps).
            var inRegistry = settings.RemoteRegistry?.Repository(name) ?? name;
            var seeded = $"{settings.RegistryHostAddress}/{inRegistry}:{tag}";
            if (await localRegistry.TryGetManifestAsync(inRegistry, tag, cancellationToken).ConfigureAwait(false) is null)
            {
                if (settings.IsRemote)
                {
                    await CopyFromEngine(local.ID, localRegistry, inRegistry, tag, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    seeded = await BaseImageSeeder.SeedAsync(docker, settings, local.ID, name, tag, cancellationToken).ConfigureAwait(false);
                }

                log.Info($"Base image {baseImage} ({local.ID[..19]}): copied from the local Docker Engine into {(settings.IsRemote ? "the registry" : "our registry")} as {seeded}");
            }

            return seeded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// True when the image was pulled from, or pushed to, the registry its name points at (a registry digest under
    /// its repository); false for an image built on this machine, which no registry can serve under that name.
    /// </summary>
    public static bool CameFromItsRegistry(ImageInspectResponse image, string reference)
    {
        var repository = Familiar(ImageReference.Split(reference).Repository);
        return image.RepoDigests?.Any(d => Familiar(d.Split('@')[0]) == repository) == true;
    }

    /// <summary>The one-line failure for a base that is neither local nor pullable: names the image, the host, and both ways out.</summary>
    public static ImageBuildFailedException Unavailable(string baseImage, string host, string why) =>
        new($"Base image {baseImage} is not in the local Docker Engine and cannot be pulled from {host} ({why}). "
            + $"Run `docker pull {baseImage}` where {host} can be reached, or set DEVENV_BASE_IMAGE to an image the local Docker Engine has.");

    // Pulls (or re-pulls, to see a moved tag) when the registry answers; keeps a local copy when it does not.
    private async Task<ImageInspectResponse?> PullAsync(string baseImage, string host, ImageInspectResponse? local, ResourceLog log, CancellationToken cancellationToken)
    {
        string why;
        if (await _remoteAnswers(host, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await docker.Images.PullImageAsync(baseImage, null, cancellationToken).ConfigureAwait(false);
                var pulled = await docker.Images.InspectImageAsync(baseImage, cancellationToken).ConfigureAwait(false);
                if (local is not null && pulled.ID != local.ID)
                {
                    log.Info($"Base image {baseImage} moved: {local.ID[..19]} → {pulled.ID[..19]}");
                }

                return pulled;
            }
            catch (DockerApiException ex)
            {
                why = FirstLine(ex.DaemonMessage());
            }
        }
        else
        {
            why = $"{host} cannot be reached";
        }

        if (local is null)
        {
            throw Unavailable(baseImage, host, why);
        }

        log.Info($"Base image {baseImage}: could not check {host} for a newer image ({why}); using the local one, {local.ID[..19]}");
        return local;
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? text;

    // Docker shows Docker Hub names in their short form (ubuntu, not docker.io/library/ubuntu).
    private static string Familiar(string repository)
    {
        var name = repository.StartsWith("docker.io/", StringComparison.Ordinal) ? repository["docker.io/".Length..] : repository;
        return name.StartsWith("library/", StringComparison.Ordinal) ? name["library/".Length..] : name;
    }

    // Any HTTP answer (200, 401) means the registry is there; DNS failure, refusal or timeout mean it is not.
    private static async Task<bool> RegistryAnswersAsync(string host, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = RemoteTimeout };
        try
        {
            using var response = await http.GetAsync($"https://{host}/v2/", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
