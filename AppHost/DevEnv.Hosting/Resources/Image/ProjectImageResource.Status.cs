using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.Image;

/// <content>The <c>status</c> verb's look at the image.</content>
public sealed partial class ProjectImageResource
{
    /// <summary>
    /// The <c>status</c> verb: asks the registry whether it has the last image built (the tag is the image's digest,
    /// so the tag of changed sources is known only after a publish); publishes, pushes and writes nothing.
    /// </summary>
    public async Task ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        // The last tag is kept per platform set, and without DEVENV_PLATFORMS that is the engine's (arm64 on Apple Silicon).
        if (_lastPlatforms is null && Platforms.Count == 0 && EnginePlatform is not null)
        {
            try
            {
                _lastPlatforms = await ResolvePlatformsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ImageBuildFailedException or Clients.Docker.DockerUnavailableException or Docker.DotNet.DockerApiException)
            {
                context.SetState(ResourceStates.Failed, ex.Message);
                return;
            }
        }

        if (ComputeTag() is not { } tag)
        {
            context.SetState(ResourceStates.Stopped, $"not built yet with these options ({Options.Key})");
            return;
        }

        var repository = settings.ImageRepository;
        var reference = $"{settings.RegistryHostAddress}/{repository}:{tag}";
        context.Update(s => s.WithProperty(ImageProperties.Tag, tag).WithProperty(ImageProperties.BaseImage, BaseImage));
        if (!await registry.PingAsync(cancellationToken).ConfigureAwait(false))
        {
            context.SetState(ResourceStates.Waiting, $"the registry at {settings.RegistryHostAddress} does not answer, so whether {reference} exists is unknown");
            return;
        }

        OciManifest? manifest;
        try
        {
            manifest = await registry.TryGetManifestAsync(repository, tag, cancellationToken).ConfigureAwait(false);
        }
        catch (OciRegistryException ex)
        {
            context.SetState(ResourceStates.Failed, ex.Message);
            return;
        }

        if (manifest is null)
        {
            context.SetState(ResourceStates.Stopped, $"the last image built, {reference}, is not in the registry");
            return;
        }

        context.Update(s => s.WithProperty(ImageProperties.LastError, null)
            .WithProperty(ImageProperties.Image, reference)
            .WithProperty(ImageProperties.Digest, manifest.Digest)
            .WithProperty(ImageProperties.CompressedBytes, manifest.CompressedSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithProperty(ImageProperties.Size, $"{Mb(manifest.CompressedSize)} compressed"));
        context.SetState(ResourceStates.Running, $"{reference} is current");
    }
}
