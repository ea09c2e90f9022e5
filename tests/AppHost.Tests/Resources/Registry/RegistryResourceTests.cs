using System.Net;
using System.Net.Sockets;
using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Resources.Registry;

namespace DevEnv.AppHost.Tests.Resources.Registry;

/// <summary>The registry resource against the real Docker Engine and the real registry image.</summary>
public sealed class RegistryResourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Starts_labelled_on_loopback_reuses_restarts_after_a_kill_and_keeps_images_in_the_volume()
    {
        await using var h = new RegistryTestHarness();
        var docker = h.Env.Docker;

        await h.Registry.StartAsync(h.Context, Ct);

        var snapshot = h.Notifications.Get(h.Registry.Name);
        Assert.Equal(ResourceStates.Running, snapshot.State);
        Assert.Equal(h.Settings.RegistryClusterAddress, snapshot.Properties["clusterAddress"]);
        var container = await docker.Containers.InspectAsync(h.Settings.RegistryContainerName, Ct);
        Assert.Equal(h.Env.Name, container.Label(EnvironmentSettings.EnvironmentLabel));
        Assert.True(container.HostConfig.ReadonlyRootfs);
        Assert.Equal("127.0.0.1", Assert.Single(container.NetworkSettings.Ports!["5000/tcp"]!).HostIp);
        Assert.Contains(h.Settings.KindNetwork, container.NetworkSettings.Networks!.Keys);
        var network = await docker.Networks.TryInspectAsync(h.Settings.KindNetwork, Ct);
        Assert.Equal(h.Env.Name, network!.Labels![EnvironmentSettings.EnvironmentLabel]); // we created it, so we labelled it
        Assert.Equal(h.Env.Name, (await docker.Volumes.TryInspectAsync(h.Settings.RegistryVolumeName, Ct))!.Labels![EnvironmentSettings.EnvironmentLabel]);
        Assert.True(await h.Registry.Oci.PingAsync(Ct));
        var repository = await h.PushFixtureBaseAsync(Ct);
        Assert.Contains(repository, await h.Registry.Oci.GetCatalogAsync(Ct));

        // Idempotent: a second start reuses the running container.
        await h.Registry.StartAsync(h.Context, Ct);
        Assert.Equal(container.Id, (await docker.Containers.InspectAsync(h.Settings.RegistryContainerName, Ct)).Id);

        // Killed: the next start notices and brings the same container back; the image is still there.
        await docker.Containers.KillAsync(container.Id, Ct);
        Assert.False((await docker.Containers.InspectAsync(container.Id, Ct)).State.Running);
        await h.Registry.StartAsync(h.Context, Ct);
        Assert.True((await docker.Containers.InspectAsync(container.Id, Ct)).State.Running);
        Assert.Contains("10.0", await h.Registry.Oci.GetTagsAsync(repository, Ct));
        Assert.Contains(h.Logs.GetBacklog(h.Registry.Name), l => l.Text.Contains("starting it", StringComparison.Ordinal));

        // Removed entirely: a new container on the same volume still serves the image.
        await h.Registry.DestroyAsync(h.Context, Ct);
        Assert.Null(await docker.Containers.TryInspectAsync(h.Settings.RegistryContainerName, Ct));
        Assert.NotNull(await docker.Volumes.TryInspectAsync(h.Settings.RegistryVolumeName, Ct));
        await h.Registry.StartAsync(h.Context, Ct);
        Assert.NotEqual(container.Id, (await docker.Containers.InspectAsync(h.Settings.RegistryContainerName, Ct)).Id);
        Assert.Contains("10.0", await h.Registry.Oci.GetTagsAsync(repository, Ct));

        // Purged: container, volume and the network we created are gone.
        h.Registry.PurgeOnDestroy = true;
        await h.Registry.DestroyAsync(h.Context, Ct);
        Assert.Null(await docker.Volumes.TryInspectAsync(h.Settings.RegistryVolumeName, Ct));
        Assert.Null(await docker.Networks.TryInspectAsync(h.Settings.KindNetwork, Ct));
    }

    [Fact]
    public async Task A_container_with_other_settings_is_recreated_and_registry_logs_reach_the_resource_log()
    {
        await using var h = new RegistryTestHarness();
        await h.Registry.StartAsync(h.Context, Ct);
        var first = await h.Env.Docker.Containers.InspectAsync(h.Settings.RegistryContainerName, Ct);

        var moved = h.Settings with { RegistryPort = Tests.Clients.Docker.DockerTestEnvironment.FreePort() };
        var second = h.NewResource(moved);
        await second.StartAsync(h.ContextFor(second), Ct);

        var now = await h.Env.Docker.Containers.InspectAsync(h.Settings.RegistryContainerName, Ct);
        Assert.NotEqual(first.Id, now.Id);
        Assert.Equal(moved.RegistryPort.ToString(), now.NetworkSettings.Ports!["5000/tcp"]![0].HostPort);
        Assert.True(await second.Oci.PingAsync(Ct));
        Assert.Contains(h.Logs.GetBacklog(second.Name), l => l.Text.Contains("recreating", StringComparison.Ordinal));
        // The registry's own start-up line, streamed from the container's log.
        await WaitForLog(h, second.Name, "listening on");
        await second.StopAsync(h.ContextFor(second), Ct);
    }

    [Fact]
    public async Task A_taken_port_fails_with_a_message_naming_the_port()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var h = new RegistryTestHarness(s => s with { RegistryPort = port });

        var ex = await Assert.ThrowsAsync<RegistryStartException>(() => h.Registry.StartAsync(h.Context, Ct));

        Assert.Contains($"Port {port} on 127.0.0.1 is already in use", ex.Message);
        Assert.Contains("DEVENV_REGISTRY_PORT", ex.Message);
        Assert.Equal(ResourceStates.Failed, h.Notifications.Get(h.Registry.Name).State);
    }

    [Fact]
    public async Task An_image_that_is_missing_and_cannot_be_pulled_fails_clearly()
    {
        await using var h = new RegistryTestHarness(s => s with { RegistryImage = $"127.0.0.1:{Tests.Clients.Docker.DockerTestEnvironment.FreePort()}/no-registry:1" });

        var ex = await Assert.ThrowsAsync<RegistryStartException>(() => h.Registry.StartAsync(h.Context, Ct));

        Assert.Contains("is not present locally and could not be pulled", ex.Message);
        Assert.Contains("DEVENV_REGISTRY_IMAGE", ex.Message);
    }

    [Fact]
    public async Task Docker_not_running_fails_the_resource_with_the_actionable_message()
    {
        var endpoint = DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? "unix:///tmp/devenv-no-docker-here.sock" : null, "/nonexistent-home");
        using var docker = new DockerClient(endpoint);
        var notifications = new ResourceNotificationService();
        var registry = new RegistryResource("registry", new EnvironmentSettings { Name = "tnodocker" }, docker);
        notifications.Register(new ResourceSnapshot { Name = registry.Name, Kind = registry.Kind });
        var context = new ResourceContext(registry.Name, notifications, new ResourceLogService());

        var ex = await Assert.ThrowsAsync<DockerUnavailableException>(() => registry.StartAsync(context, Ct));

        Assert.Contains("Is Docker running?", ex.Message);
        Assert.Equal(ResourceStates.Failed, notifications.Get(registry.Name).State);
        Assert.Contains("Cannot reach the Docker Engine", notifications.Get(registry.Name).Reason);

        // The status verb says the same without throwing.
        context.SetState(ResourceStates.Waiting, null);
        await registry.ProbeAsync(context, Ct);
        Assert.Equal(ResourceStates.Failed, notifications.Get(registry.Name).State);
        Assert.Contains("Is Docker running?", notifications.Get(registry.Name).Reason);
    }

    private static async Task WaitForLog(RegistryTestHarness h, string resource, string text)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var line in h.Logs.WatchAsync(resource, cts.Token))
        {
            if (line.Text.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"'{text}' never reached the log of {resource}.");
    }
}
