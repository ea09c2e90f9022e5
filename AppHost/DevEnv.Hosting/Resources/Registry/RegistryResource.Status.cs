using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using Docker.DotNet.Models;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Registry;

/// <content>The <c>status</c> verb's look at the registry.</content>
public sealed partial class RegistryResource
{
    /// <summary>
    /// The <c>status</c> verb: inspects our container (by name and label), the blob volume and GET /v2/; creates,
    /// starts or changes nothing.
    /// </summary>
    public async Task ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        ContainerInspectResponse? container;
        VolumeResponse? volume;
        try
        {
            container = await docker.Containers.TryInspectContainerAsync(ContainerName, cancellationToken).ConfigureAwait(false);
            volume = await docker.Volumes.TryInspectVolumeAsync(Settings.RegistryVolumeName, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerUnavailableException ex)
        {
            context.SetState(ResourceStates.Failed, ex.Message);
            return;
        }
        catch (DockerApiException ex)
        {
            context.SetState(ResourceStates.Failed, $"Docker Engine: {ex.DaemonMessage()}");
            return;
        }

        var volumeText = volume is null ? "absent" : "present";
        context.Update(s => s.WithProperty("container", ContainerName).WithProperty("volume", $"{Settings.RegistryVolumeName} ({volumeText})"));
        if (container is null)
        {
            context.SetState(ResourceStates.Stopped, $"container {ContainerName} not created (volume {volumeText})");
            return;
        }

        if (container.Label(EnvironmentSettings.EnvironmentLabel) != Settings.Name)
        {
            context.SetState(ResourceStates.Failed,
                $"a container named {ContainerName} exists but was not created by this environment (no {EnvironmentSettings.EnvironmentLabel}={Settings.Name} label)");
            return;
        }

        if (container.State is not { Running: true })
        {
            context.SetState(ResourceStates.Stopped, $"container {ContainerName} is {container.State?.Status} (exit code {container.State?.ExitCode}); up starts it");
            return;
        }

        if (!await Oci.PingAsync(cancellationToken).ConfigureAwait(false))
        {
            context.SetState(ResourceStates.Degraded, $"container {ContainerName} runs but GET http://{Settings.BindAddress}:{Settings.RegistryPort}/v2/ does not answer");
            return;
        }

        context.Update(s => s.WithProperty("containerId", container.ID[..12]).WithProperty("image", Settings.RegistryImage)
            .WithUrl("registry", $"http://{Settings.BindAddress}:{Settings.RegistryPort}"));
        context.SetState(ResourceStates.Running, $"serving http://{Settings.BindAddress}:{Settings.RegistryPort}/v2/");
    }
}
