using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Model;
using Docker.DotNet.Models;

namespace DevEnv.AppHost.Tests.Resources.Registry;

/// <summary>The registry's <c>status</c> look against the real Docker Engine: it reports, never creates or starts.</summary>
public sealed class RegistryResourceStatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reports_not_created_then_running_with_endpoint_then_stopped_and_changes_nothing()
    {
        await using var h = new RegistryTestHarness();
        var docker = h.Env.Engine;

        await h.Registry.ProbeAsync(h.Context, Ct);
        var absent = h.Notifications.Get(h.Registry.Name);
        Assert.Equal(ResourceStates.Stopped, absent.State);
        Assert.Contains("not created", absent.Reason, StringComparison.Ordinal);
        Assert.Null(await docker.Containers.TryInspectContainerAsync(h.Settings.RegistryContainerName, Ct)); // the look created nothing
        Assert.Null(await docker.Volumes.TryInspectVolumeAsync(h.Settings.RegistryVolumeName, Ct));

        await h.StartRegistryAsync(Ct);
        await h.Registry.ProbeAsync(h.Context, Ct);
        var running = h.Notifications.Get(h.Registry.Name);
        Assert.Equal(ResourceStates.Running, running.State);
        Assert.Equal($"http://127.0.0.1:{h.Settings.RegistryPort}", Assert.Single(running.Endpoints).Url);
        Assert.Contains("present", running.Properties["volume"], StringComparison.Ordinal);

        await docker.Containers.StopContainerAsync(h.Settings.RegistryContainerName, new ContainerStopParameters { WaitBeforeKillSeconds = 5 }, Ct);
        await h.Registry.ProbeAsync(h.Context, Ct);
        var stopped = h.Notifications.Get(h.Registry.Name);
        Assert.Equal(ResourceStates.Stopped, stopped.State);
        Assert.Contains("exited", stopped.Reason, StringComparison.Ordinal);
        Assert.False((await docker.Containers.InspectContainerAsync(h.Settings.RegistryContainerName, Ct)).State?.Running); // and did not start it
    }
}
