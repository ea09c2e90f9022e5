using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Clients.Oci;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Resources.Image;

/// <summary>
/// Decides which base image reference the publish reads. The SDK reads base images from registries only, so a base
/// that the local Docker Engine has but the SDK could not fetch is copied into our registry with
/// <see cref="BaseImageSeeder"/> and read from there: one built on this machine (no registry digest for its name,
/// e.g. DEVENV_BASE_IMAGE=devenv-fixture/runtime-deps:10.0), or one whose registry cannot be reached (offline, no
/// pull access). The decision is made once per process; the copy is redone only if our registry lost it.
/// </summary>
public sealed class BaseImageResolver(IDockerClient docker, EnvironmentSettings settings, IOciRegistryClient localRegistry, Func<string, CancellationToken, Task<bool>>? remoteAnswers = null)
{
    private readonly Func<string, CancellationToken, Task<bool>> _remoteAnswers = remoteAnswers ?? RegistryAnswersAsync;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _decided;
    private string? _seedReason;

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

    /// <summary>Returns the reference to publish from: <paramref name="baseImage"/> itself, or its copy in our registry.</summary>
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
            if (!_decided)
            {
                _seedReason = await SeedReasonAsync(baseImage, host, cancellationToken).ConfigureAwait(false);
                _decided = true;
            }

            if (_seedReason is null)
            {
                return baseImage;
            }

            var (repository, tag, _) = ImageReference.Split(baseImage);
            var name = repository[(repository.LastIndexOf('/') + 1)..];
            var seeded = $"{settings.RegistryHostAddress}/{name}:{tag}";
            if (await localRegistry.TryGetManifestAsync(name, tag, cancellationToken).ConfigureAwait(false) is null)
            {
                seeded = await BaseImageSeeder.SeedAsync(docker, settings, baseImage, cancellationToken).ConfigureAwait(false);
                log.Info($"Base image {baseImage}: {_seedReason}, but the local Docker Engine has it; seeded it into our registry as {seeded} and publishing from there");
            }
            else
            {
                log.Info($"Base image {baseImage}: {_seedReason}; publishing from the copy already in our registry, {seeded}");
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
    public static bool CameFromItsRegistry(ImageInspect image, string reference)
    {
        var repository = Familiar(ImageReference.Split(reference).Repository);
        return image.RepoDigests?.Any(d => Familiar(d.Split('@')[0]) == repository) == true;
    }

    // Docker shows Docker Hub names in their short form (ubuntu, not docker.io/library/ubuntu).
    private static string Familiar(string repository)
    {
        var name = repository.StartsWith("docker.io/", StringComparison.Ordinal) ? repository["docker.io/".Length..] : repository;
        return name.StartsWith("library/", StringComparison.Ordinal) ? name["library/".Length..] : name;
    }

    // Why the base has to be copied into our registry, or null when the SDK can read it where it is (or when
    // there is nothing local to copy, so the publish reports the registry's own error).
    private async Task<string?> SeedReasonAsync(string baseImage, string host, CancellationToken cancellationToken)
    {
        var local = await docker.Images.TryInspectAsync(baseImage, cancellationToken).ConfigureAwait(false);
        if (local is null)
        {
            return null;
        }

        if (!CameFromItsRegistry(local, baseImage))
        {
            return $"it was built on this machine, so {host} does not serve it";
        }

        return await _remoteAnswers(host, cancellationToken).ConfigureAwait(false) ? null : $"{host} cannot be reached";
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
