using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Clients.Oci;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Resources.Registry;

/// <summary>
/// The local registry container (<c>&lt;name&gt;-registry</c>): published on BindAddress:RegistryPort only, blobs in a
/// named volume that outlives <c>down</c> unless <see cref="PurgeOnDestroy"/>, on the kind network so nodes pull
/// from <c>&lt;name&gt;-registry:5000</c>. Start is idempotent: reuse a matching running container, start a stopped
/// one, recreate one whose settings changed.
/// </summary>
public sealed partial class RegistryResource(string name, EnvironmentSettings settings, IDockerClient docker, TimeProvider? time = null) : Resource(name), IStatusProbe
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private CancellationTokenSource? _logFollower;

    /// <inheritdoc />
    public override string Kind => "Registry";

    /// <summary>The settings the registry runs with.</summary>
    public EnvironmentSettings Settings { get; } = settings;

    /// <summary>Client of the registry's HTTP API on the host side.</summary>
    public IOciRegistryClient Oci { get; } = OciRegistryClient.ForHost(settings.BindAddress, settings.RegistryPort);

    /// <summary>When set (by <c>down --purge</c>), <see cref="DestroyAsync"/> also removes the blob volume.</summary>
    public bool PurgeOnDestroy { get; set; }

    /// <summary>How long to wait for GET /v2/ after starting the container.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    private string ContainerName => Settings.RegistryContainerName;

    private string LabelFilter => $"{EnvironmentSettings.EnvironmentLabel}={Settings.Name}";

    /// <inheritdoc />
    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            context.SetState(ResourceStates.Starting, $"Ensuring registry container {ContainerName}");
            await docker.System.PingAsync(cancellationToken).ConfigureAwait(false);
            var image = await EnsureImageAsync(context, cancellationToken).ConfigureAwait(false);
            var network = await EnsureNetworkAsync(context, cancellationToken).ConfigureAwait(false);
            await docker.Volumes.CreateAsync(Settings.RegistryVolumeName, Labels(), cancellationToken).ConfigureAwait(false);
            var configFile = RegistryContainerSpec.ConfigFile(Settings);
            if (!File.Exists(configFile))
            {
                throw new RegistryStartException($"Registry '{Name}': configuration {configFile} is missing (it is part of the source tree; restore it with git).");
            }

            var hash = RegistryContainerSpec.SettingsHash(Settings, image.Id, await File.ReadAllTextAsync(configFile, cancellationToken).ConfigureAwait(false));
            var id = await EnsureContainerAsync(context, hash, network, cancellationToken).ConfigureAwait(false);
            await new RegistryReadiness(docker, Oci, _time) { Timeout = ReadyTimeout }.WaitAsync(Name, ContainerName, cancellationToken).ConfigureAwait(false);
            FollowLogs(context, id);
            context.Update(s => s with
            {
                State = ResourceStates.Running,
                Reason = null,
                Endpoints = [new ResourceEndpoint("registry", $"http://{Settings.RegistryHostAddress}/v2/_catalog")],
                Properties = s.Properties
                    .SetItem("image", Settings.RegistryImage)
                    .SetItem("container", ContainerName)
                    .SetItem("containerId", id[..12])
                    .SetItem("volume", Settings.RegistryVolumeName)
                    .SetItem("network", Settings.KindNetwork)
                    .SetItem("hostAddress", Settings.RegistryHostAddress)
                    .SetItem("clusterAddress", Settings.RegistryClusterAddress),
            });
            context.Log.Info($"Registry ready at http://{Settings.BindAddress}:{Settings.RegistryPort}/v2/ (nodes: {Settings.RegistryClusterAddress})");
        }
        catch (Exception ex) when (ex is DockerUnavailableException or DockerApiException or RegistryStartException)
        {
            context.Log.Error(ex.Message);
            context.SetState(ResourceStates.Failed, ex.Message);
            throw;
        }
    }

    /// <inheritdoc />
    public override Task StopAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        // The container keeps running for a fast next start; only our log follower stops.
        StopFollowingLogs();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        StopFollowingLogs();
        context.SetState(ResourceStates.Stopping, "Removing the registry container");
        var existing = await docker.Containers.TryInspectAsync(ContainerName, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Label(EnvironmentSettings.EnvironmentLabel) == Settings.Name)
        {
            await docker.Containers.RemoveAsync(existing.Id, force: true, cancellationToken).ConfigureAwait(false);
            context.Log.Info($"Removed container {ContainerName}");
        }

        if (PurgeOnDestroy)
        {
            foreach (var volume in await docker.Volumes.ListByLabelAsync(LabelFilter, cancellationToken).ConfigureAwait(false))
            {
                if (volume.Name == Settings.RegistryVolumeName)
                {
                    await docker.Volumes.RemoveAsync(volume.Name, force: false, cancellationToken).ConfigureAwait(false);
                    context.Log.Info($"Purged volume {volume.Name} (all pushed images)");
                }
            }
        }
        else
        {
            context.Log.Info($"Kept volume {Settings.RegistryVolumeName} (pushed images survive; purge to remove it)");
        }

        // The network is removed only when we created it (it carries our label) and nothing else uses it.
        var network = await docker.Networks.TryInspectAsync(Settings.KindNetwork, cancellationToken).ConfigureAwait(false);
        if (network?.Labels?.GetValueOrDefault(EnvironmentSettings.EnvironmentLabel) == Settings.Name && (network.Containers?.Count ?? 0) == 0)
        {
            await docker.Networks.RemoveAsync(network.Id, cancellationToken).ConfigureAwait(false);
            context.Log.Info($"Removed network {Settings.KindNetwork}");
        }

        context.SetState(ResourceStates.Stopped, PurgeOnDestroy ? "Removed (volume purged)" : "Removed (volume kept)");
    }

    /// <inheritdoc />
    public override IReadOnlyList<ResourceCommand> GetCommands(ResourceContext context) =>
    [
        new(CommandNames.Start, "Start", async (_, ct) =>
        {
            await StartAsync(context, ct).ConfigureAwait(false);
            return CommandResult.Ok($"Registry running at {Settings.RegistryHostAddress}");
        }),
        new(CommandNames.Stop, "Stop", async (_, ct) =>
        {
            StopFollowingLogs();
            await docker.Containers.StopAsync(ContainerName, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            context.SetState(ResourceStates.Stopped, "Stopped on request");
            return CommandResult.Ok($"Stopped {ContainerName}");
        }),
    ];

    private async Task<ImageInspect> EnsureImageAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var image = await docker.Images.TryInspectAsync(Settings.RegistryImage, cancellationToken).ConfigureAwait(false);
        if (image is not null)
        {
            return image;
        }

        context.Log.Info($"Pulling {Settings.RegistryImage}");
        try
        {
            await docker.Images.PullAsync(Settings.RegistryImage, new Progress<PullProgress>(p => context.Log.Info(p.ToString())), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new RegistryStartException(
                $"Registry '{Name}': image {Settings.RegistryImage} is not present locally and could not be pulled: {ex.DaemonMessage}. "
                + $"Pull it where you have access (`docker pull {Settings.RegistryImage}`), or set DEVENV_REGISTRY_IMAGE to an image you have "
                + "(scripts/fixtures/build-images.sh builds devenv-fixture/registry:2.8.2 from Debian's docker-registry).", ex);
        }

        return await docker.Images.InspectAsync(Settings.RegistryImage, cancellationToken).ConfigureAwait(false);
    }

    private async Task<NetworkInspect> EnsureNetworkAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (await docker.Networks.TryInspectAsync(Settings.KindNetwork, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        // Labelled because we made it; a network kind made stays kind's.
        await docker.Networks.CreateAsync(Settings.KindNetwork, Labels(), cancellationToken).ConfigureAwait(false);
        context.Log.Info($"Created docker network {Settings.KindNetwork}");
        return await docker.Networks.TryInspectAsync(Settings.KindNetwork, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryStartException($"Registry '{Name}': network {Settings.KindNetwork} vanished right after it was created.");
    }

    private async Task<string> EnsureContainerAsync(ResourceContext context, string hash, NetworkInspect network, CancellationToken cancellationToken)
    {
        var existing = await docker.Containers.TryInspectAsync(ContainerName, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.Label(EnvironmentSettings.EnvironmentLabel) != Settings.Name)
            {
                throw new RegistryStartException(
                    $"Registry '{Name}': a container named {ContainerName} exists but was not created by this environment (no {EnvironmentSettings.EnvironmentLabel}={Settings.Name} label). "
                    + "Remove it (`docker rm -f " + ContainerName + "`) or choose another environment name with DEVENV_NAME.");
            }

            var onNetwork = existing.NetworkSettings.Networks?.GetValueOrDefault(Settings.KindNetwork)?.NetworkID == network.Id;
            if (existing.Label(RegistryContainerSpec.SettingsHashLabel) != hash || !onNetwork)
            {
                context.Log.Info($"Container {ContainerName} was created with other settings{(onNetwork ? "" : " or another network")}; recreating it (the volume keeps the images)");
                await docker.Containers.RemoveAsync(existing.Id, force: true, cancellationToken).ConfigureAwait(false);
            }
            else if (existing.State.Running)
            {
                context.Log.Info($"Reusing running container {ContainerName}");
                return existing.Id;
            }
            else
            {
                context.Log.Info($"Container {ContainerName} is {existing.State.Status} (exit code {existing.State.ExitCode}); starting it");
                await StartCheckedAsync(existing.Id, cancellationToken).ConfigureAwait(false);
                return existing.Id;
            }
        }

        var id = await docker.Containers.CreateAsync(ContainerName, RegistryContainerSpec.Build(Settings, hash), cancellationToken).ConfigureAwait(false);
        context.Log.Info($"Created container {ContainerName} ({id[..12]}) from {Settings.RegistryImage}");
        await StartCheckedAsync(id, cancellationToken).ConfigureAwait(false);
        return id;
    }

    private async Task StartCheckedAsync(string id, CancellationToken cancellationToken)
    {
        var taken = PortProbe.TakenMessage("registry", Settings.BindAddress, Settings.RegistryPort, "DEVENV_REGISTRY_PORT");
        if (!PortProbe.IsFree(Settings.BindAddress, Settings.RegistryPort))
        {
            throw new RegistryStartException($"Registry '{Name}': {taken}");
        }

        try
        {
            await docker.Containers.StartAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.DaemonMessage.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                                             || ex.DaemonMessage.Contains("port is already allocated", StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryStartException($"Registry '{Name}': {taken}", ex);
        }
    }

    // Streams the container's log into the resource log until stopped, so the dashboard shows the registry's own lines.
    private void FollowLogs(ResourceContext context, string id)
    {
        StopFollowingLogs();
        var cts = new CancellationTokenSource();
        _logFollower = cts;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var line in docker.Containers.LogsAsync(id, new LogsOptions { Follow = true, Tail = 50 }, cts.Token).ConfigureAwait(false))
                {
                    context.Log.Info(line.Text);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or DockerApiException or DockerUnavailableException or IOException or HttpRequestException)
            {
                // The follower ends with the container or on stop; the state is watched elsewhere.
            }
        }, CancellationToken.None);
    }

    private void StopFollowingLogs()
    {
        var cts = Interlocked.Exchange(ref _logFollower, null);
        cts?.Cancel();
        cts?.Dispose();
    }

    private Dictionary<string, string> Labels() => new() { [EnvironmentSettings.EnvironmentLabel] = Settings.Name };
}
