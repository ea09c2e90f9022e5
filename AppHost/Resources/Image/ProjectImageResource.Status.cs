using DevEnv.AppHost.Clients.Oci;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Resources.Image;

/// <content>The <c>status</c> verb's look at the image.</content>
public sealed partial class ProjectImageResource
{
    /// <summary>
    /// The <c>status</c> verb: computes the content tag of the current sources and asks the registry whether it has
    /// it; publishes, pushes and writes nothing.
    /// </summary>
    public async Task ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        string tag;
        try
        {
            tag = ComputeTag();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            context.SetState(ResourceStates.Failed, $"Cannot read the sources of {ProjectFile}: {ex.Message}");
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
            context.SetState(ResourceStates.Stopped, $"sources changed since the last build (tag {tag} not in the registry)");
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
