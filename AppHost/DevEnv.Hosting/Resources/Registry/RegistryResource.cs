using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using Docker.DotNet.Models;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Registry;

/// <summary>
/// What the environment does to the local registry outside of Aspire: DCP runs the container (a persistent Aspire
/// container resource, see <see cref="RegistryResourceExtensions.AddLocalRegistry"/>); this labels its volume before
/// the first start, tells <c>status</c> how it is, and removes what carries our label on <c>down</c>.
/// </summary>
public sealed partial class RegistryResource(string name, EnvironmentSettings settings, IDockerClient docker) : Reconciler(name), IStatusProbe, IPurgeable
{
    /// <inheritdoc />
    public override string Kind => "Registry";

    /// <summary>The settings the registry runs with.</summary>
    public EnvironmentSettings Settings { get; } = settings;

    /// <summary>Client of the registry's HTTP API on the host side.</summary>
    public IOciRegistryClient Oci { get; } = OciRegistryClient.ForHost(settings.BindAddress, settings.RegistryPort);

    private string ContainerName => Settings.RegistryContainerName;

    private string LabelFilter => $"{EnvironmentSettings.EnvironmentLabel}={Settings.Name}";

    /// <summary>DCP starts the container; before it does, the blob volume is created with our label so <c>down --purge</c> may remove it.</summary>
    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken) =>
        await docker.Volumes.CreateAsync(new VolumesCreateParameters
        {
            Name = Settings.RegistryVolumeName,
            Labels = new Dictionary<string, string> { [EnvironmentSettings.EnvironmentLabel] = Settings.Name },
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Removes the registry container when it carries our label; the volume stays (see <see cref="PurgeAsync"/>).</summary>
    public override async Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        context.SetState(ResourceStates.Stopping, "Removing the registry container");
        var existing = await docker.Containers.TryInspectContainerAsync(ContainerName, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            context.Log.Info($"No container {ContainerName}");
        }
        else if (existing.Label(EnvironmentSettings.EnvironmentLabel) == Settings.Name)
        {
            await docker.Containers.RemoveContainerAsync(existing.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken).ConfigureAwait(false);
            context.Log.Info($"Removed container {ContainerName}");
        }
        else
        {
            context.Log.Error($"Kept container {ContainerName}: it does not carry {LabelFilter}, so this environment did not create it");
        }

        context.SetState(ResourceStates.Stopped, "Removed");
    }

    /// <summary>Removes the blob volume (every pushed image) when it carries our label; says so when it does not.</summary>
    public async Task PurgeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var volume = await docker.Volumes.TryInspectVolumeAsync(Settings.RegistryVolumeName, cancellationToken).ConfigureAwait(false);
        if (volume is null)
        {
            context.Log.Info($"No volume {Settings.RegistryVolumeName}");
        }
        else if (volume.Label(EnvironmentSettings.EnvironmentLabel) == Settings.Name)
        {
            await docker.Volumes.RemoveAsync(volume.Name, force: false, cancellationToken).ConfigureAwait(false);
            context.Log.Info($"Purged volume {volume.Name} (all pushed images)");
        }
        else
        {
            // Made by something else, or by an earlier DevEnv, whose volume DCP created before ours could be (unlabelled).
            context.Log.Error($"Kept volume {volume.Name}: it does not carry {LabelFilter}, so DevEnv cannot tell it made it; if it is the registry's, remove it with `docker volume rm {volume.Name}`");
        }
    }
}
