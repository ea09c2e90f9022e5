using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kind;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Support;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <content>
/// What a cluster meets on a real laptop: nodes stopped by a reboot, an API server that needs its seconds, settings
/// changed since kind created the nodes, a creation cut short, a cluster of the same name that is not ours.
/// </content>
public sealed partial class ClusterResourceTests
{
    [Fact]
    public async Task After_a_restart_the_api_server_is_retried_while_its_port_refuses_then_the_cluster_is_reused()
    {
        // Every node stopped, as after a reboot; the kubeconfig names a port nothing listens on yet.
        await NodeContainersAsync(registry: true, $"{_env.Name}-control-plane", $"{_env.Name}-worker", $"{_env.Name}-worker2");
        var port = FreePort.Next();
        var (cluster, context) = Create(Runner(exists: true, new Uri($"http://127.0.0.1:{port}")), apiServerTimeout: TimeSpan.FromSeconds(60));

        var start = cluster.StartAsync(context, Ct);
        await WaitUntilAsync(() => Log.Count(l => l.StartsWith("waiting for the API server: no answer yet", StringComparison.Ordinal)) >= 2,
            TimeSpan.FromSeconds(30), "two refused tries of the API server");
        Assert.False(start.IsCompleted);
        Assert.StartsWith("waiting for the API server: no answer yet after ", context.Reason);

        // The API server comes up on that very port (a static pod, seconds after its container started).
        _api = await FakeApiServer.StartAsync(Ct, port);
        AnswersAsAHealthyCluster(_api, nodeLists: 2);
        await start.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(ResourceStates.Running, context.State);
        Assert.Contains("reused", context.Reason);
        Assert.Contains(Log, l => l.StartsWith("waiting for the API server: no answer yet", StringComparison.Ordinal)
                                  && l.Contains("refused", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("API server answers (Kubernetes v1.36.1)", Log);
        foreach (var node in Nodes.Split('\n'))
        {
            Assert.True((await _docker.Engine.Containers.InspectContainerAsync(node, Ct)).State!.Running, node);
        }
    }

    [Fact]
    public async Task A_half_created_cluster_is_broken_with_the_recreate_hint_in_up_and_in_status()
    {
        await NodeContainersAsync();
        // What kind answers when kubeadm never wrote the admin kubeconfig (a creation cut short).
        const string KindError = "ERROR: failed to get cluster internal kubeconfig: command \"docker exec --privileged t-control-plane cat /etc/kubernetes/admin.conf\" failed with error: exit status 1";
        var runner = new FakeProcessRunner()
            .On("kind version", stdout: "kind v0.33.0 go1.26.2 linux/amd64")
            .On("kind get clusters", stdout: _env.Name)
            .On($"kind get nodes --name {_env.Name}", stdout: Nodes)
            .On($"kind get kubeconfig --name {_env.Name}", exitCode: 1, stderr: KindError);
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.StartsWith($"kind cluster '{_env.Name}' exists but is broken: kind cannot read its kubeconfig off the control-plane node, as after a creation that was interrupted", ex.Message);
        Assert.Contains("cat /etc/kubernetes/admin.conf", ex.Message);
        Assert.Contains("'recreate-cluster' command", ex.Message);
        Assert.Equal(ResourceStates.Failed, context.State);

        await cluster.ProbeAsync(context, Ct);

        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Equal(ex.Message, context.Reason);
        Assert.DoesNotContain("up rewrites it", context.Reason);
    }

    [Fact]
    public async Task Node_containers_made_with_other_ports_and_image_are_reported_with_what_differs_and_how_to_recreate()
    {
        // The cluster kind made earlier: its control plane publishes another host port and a worker runs another image
        // (the fixture under a second name, so it runs the same way).
        var other = FreePort.Next();
        var otherImage = $"devenv-test/{_env.Name}-node:other";
        await _docker.Engine.Images.TagImageAsync(Settings.NodeImage, new Docker.DotNet.Models.ImageTagParameters { RepositoryName = otherImage.Split(':')[0], Tag = "other" }, Ct);
        await using var untag = new AsyncCleanup(() => _docker.Engine.Images.DeleteImageAsync(otherImage, new Docker.DotNet.Models.ImageDeleteParameters { Force = true }, CancellationToken.None));
        await _docker.CreateNetworkAsync(Settings.KindNetwork, _docker.Labels, Ct);
        await KindNodeAsync($"{_env.Name}-control-plane", "control-plane", start: true, new() { [$"{_nodePort}/tcp"] = $"127.0.0.1:{other}" });
        await KindNodeAsync($"{_env.Name}-worker", "worker", start: true, image: otherImage);
        await KindNodeAsync($"{_env.Name}-worker2", "worker", start: true);
        await MarkOursAsync($"{_env.Name}-control-plane");
        var api = await ApiAsync();
        AnswersAsAHealthyCluster(api, nodeLists: 3);
        var (cluster, context) = Create(Runner(exists: true));

        await cluster.StartAsync(context, Ct);

        Assert.Equal(ResourceStates.Degraded, context.State);
        Assert.StartsWith($"kind cluster '{_env.Name}' was created with other settings than these: ", context.Reason);
        Assert.Contains($"port {_nodePort}/tcp of node {_env.Name}-control-plane is published on 127.0.0.1:{other}, the settings say 127.0.0.1:{_nodePort}", context.Reason);
        Assert.Contains($"node {_env.Name}-worker runs image {otherImage}, the settings say {Settings.NodeImage}", context.Reason);
        Assert.DoesNotContain("6443", context.Reason); // kind's own API server mapping is not a setting
        Assert.Contains("'recreate-cluster' command", context.Reason);
        // The property shows what the nodes run, not the setting.
        Assert.Equal($"{Settings.NodeImage}, {otherImage}", context.Current.Properties["nodeImage"]);

        api.WriteKubeconfig(Settings.KubeconfigPath, Settings.KubeContext);
        await cluster.ProbeAsync(context, Ct);
        Assert.Equal(ResourceStates.Degraded, context.State);
        Assert.Contains($"is published on 127.0.0.1:{other}", context.Reason);
    }

    [Fact]
    public async Task Nodes_on_an_arm64_engine_run_since_the_image_is_built_for_them()
    {
        await NodeContainersAsync();
        var api = await ApiAsync();
        AnswersAsAHealthyCluster(api, nodeLists: 2);
        var (cluster, context) = Create(Runner(exists: true), new EngineOnArchitecture(_engine, "arm64"));

        await cluster.StartAsync(context, Ct);

        Assert.Equal(ResourceStates.Running, context.State);
        Assert.Equal("arm64", context.Current.Properties["architecture"]);
    }

    [Fact]
    public async Task Nodes_on_an_arm64_engine_are_not_declared_running_when_DEVENV_PLATFORMS_leaves_arm64_out()
    {
        await NodeContainersAsync();
        var api = await ApiAsync();
        AnswersAsAHealthyCluster(api, nodeLists: 2);
        var settings = Settings with { Platforms = [ImagePlatform.LinuxAmd64] };
        var (cluster, context) = Create(Runner(exists: true), new EngineOnArchitecture(_engine, "arm64"), settings);

        await cluster.StartAsync(context, Ct);

        Assert.Equal(ResourceStates.Degraded, context.State);
        Assert.Equal($"kind cluster '{_env.Name}': {NodeArchitecture.Mismatch("arm64", [ImagePlatform.LinuxAmd64])}", context.Reason);
        Assert.Equal("arm64", context.Current.Properties["architecture"]);
    }

    [Fact]
    public async Task A_cluster_of_our_name_that_we_did_not_create_is_not_reused()
    {
        await NodeContainersAsync(registry: false);
        await _engine.WriteFileAsync($"{_env.Name}-control-plane", ClusterResource.KubeadmConfigPath,
            "node-labels: \"team=payments\"\n"u8.ToArray(), UnixFileMode.UserRead | UnixFileMode.UserWrite, Ct);
        var runner = Runner(exists: true);
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.StartsWith($"kind cluster '{_env.Name}' exists but this environment did not create it", ex.Message);
        Assert.Contains("choose another DEVENV_NAME", ex.Message);
        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kind get kubeconfig", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Down_keeps_a_look_alike_cluster_registry_container_and_network_and_deletes_ours_with_the_real_kind()
    {
        var real = new ProcessRunner();
        await SkipWithoutKindAsync(real);
        // Look-alikes a user could have: kind's labels but not ours, the registry's name, the network's name.
        var lookAlikes = new[] { $"{_env.Name}-control-plane", Settings.RegistryContainerName };
        try
        {
            await KindNodeAsync(lookAlikes[0], "control-plane", start: true, ourTestLabel: false);
            await _docker.Engine.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters { Name = lookAlikes[1], Image = DockerTestEnvironment.RegistryImage }, Ct);
            await _docker.CreateNetworkAsync(Settings.KindNetwork, new Dictionary<string, string>(), Ct);
            var (cluster, context) = Create(real);
            var registry = new DevEnv.Hosting.Resources.Registry.RegistryResource("registry", Settings, _docker.Engine);

            await cluster.DestroyAsync(context, Ct);
            await registry.DestroyAsync(_env.Context(registry), Ct);
            await registry.PurgeAsync(_env.Context(registry), Ct);

            foreach (var name in lookAlikes)
            {
                Assert.NotNull(await _docker.Engine.Containers.TryInspectContainerAsync(name, Ct));
            }

            Assert.NotNull(await _docker.TryInspectNetworkAsync(Settings.KindNetwork, Ct));
            Assert.Contains(_env.Name, await new KindClient(real).GetClustersAsync(ResourceLog.None, Ct));
            Assert.Contains($"kept kind cluster '{_env.Name}'", context.Reason);
            Assert.Contains(_env.Logs.GetBacklog("cluster"), l => l.IsError && l.Text.StartsWith($"kind cluster '{_env.Name}' exists but this environment did not create it", StringComparison.Ordinal));

            // The same node once kind has written our label into its kubeadm configuration: ours, and the real kind deletes it.
            await MarkOursAsync(lookAlikes[0]);
            await cluster.DestroyAsync(context, Ct);

            Assert.Null(await _docker.Engine.Containers.TryInspectContainerAsync(lookAlikes[0], Ct));
            Assert.DoesNotContain(_env.Name, await new KindClient(real).GetClustersAsync(ResourceLog.None, Ct));
            Assert.Equal($"kind cluster '{_env.Name}' deleted", context.Reason);
        }
        finally
        {
            foreach (var name in lookAlikes)
            {
                await RemoveQuietlyAsync(() => _docker.Engine.Containers.RemoveContainerAsync(name, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true }, CancellationToken.None));
            }

            await RemoveQuietlyAsync(() => _docker.Engine.Networks.DeleteNetworkAsync(Settings.KindNetwork, CancellationToken.None));
        }
    }

    [Fact]
    public async Task An_old_kind_is_refused_with_what_to_do_before_anything_is_created()
    {
        var runner = new FakeProcessRunner().On("kind version", stdout: "kind v0.31.0 go1.25.5 linux/amd64");
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.StartsWith("kind v0.31.0 is too old: kind before v0.32.0 writes a kubeadm configuration Kubernetes 1.36 rejects. ", ex.Message);
        Assert.Contains("kind.sigs.k8s.io/dl/", ex.Message);
        Assert.Equal(["kind version"], runner.CommandLines);
        Assert.Equal(ResourceStates.Failed, context.State);
    }

    [Fact]
    public async Task An_interrupted_real_kind_create_gets_an_interrupt_and_exits_in_its_grace_leaving_no_cluster()
    {
        var real = new ProcessRunner();
        await SkipWithoutKindAsync(real);
        // A "registry" that accepts connections and never answers: the Docker Engine's pull hangs, so the real kind is
        // still creating (ensuring the node image) when Ctrl+C comes. Our own image check is told the image is there.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(10);
        var settings = Settings with { NodeImage = $"127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/hanging-node:{_env.Name}" };
        var (cluster, context) = Create(real, new PresentImages(_engine), settings);
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        try
        {
            var start = cluster.StartAsync(context, ctrlC.Token);
            await WaitUntilAsync(() => start.IsCompleted || Log.Any(l => l.Contains("Ensuring node image", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60), "kind ensuring the node image");
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            Assert.False(start.IsCompleted, "kind finished before it could be interrupted: " + context.Reason);
            ctrlC.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start.WaitAsync(TimeSpan.FromSeconds(120), Ct));

            Assert.Contains(Log, l => l.StartsWith("interrupted kind (pid ", StringComparison.Ordinal));
            Assert.DoesNotContain(Log, l => l.Contains("did not exit within", StringComparison.Ordinal)); // not killed
            Assert.Empty(await _docker.Engine.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true, Filters = LabelFilters.Matching($"io.x-k8s.kind.cluster={_env.Name}") }, Ct));
            Assert.DoesNotContain(_env.Name, await new KindClient(real).GetClustersAsync(ResourceLog.None, Ct));
        }
        finally
        {
            await new KindClient(real).DeleteClusterAsync(_env.Name, settings.KubeconfigPath, ResourceLog.None, CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_node_network_is_made_by_the_real_kind_with_dockers_bridge_mtu_not_by_us()
    {
        var real = new ProcessRunner();
        await SkipWithoutKindAsync(real);
        // Nobody makes this network before kind (the registry starts on Aspire's network and is connected after):
        // kind creates it as it creates "kind", copying the MTU of Docker's default bridge. Here the nodes then fail
        // to start (no privileged containers), elsewhere they run: either way kind made the network first.
        var settings = Settings with { KindNetwork = $"{_env.Name}-kindnet" };
        var (cluster, context) = Create(real, settings: settings);
        try
        {
            Assert.Null(await _docker.TryInspectNetworkAsync(settings.KindNetwork, Ct));
            try
            {
                await cluster.StartAsync(context, Ct);
            }
            catch (InvalidOperationException ex)
            {
                Assert.StartsWith($"kind could not create cluster '{_env.Name}'", ex.Message);
            }

            var network = await _docker.TryInspectNetworkAsync(settings.KindNetwork, Ct);
            Assert.NotNull(network);
            Assert.Null(network.Labels?.TryGetValue(EnvironmentSettings.EnvironmentLabel, out var label) == true ? label : null);
            // Through the docker CLI: a reader of the network other than the client under test.
            async Task<string> MtuOf(string network) => (await real.RunCheckedAsync(new ProcessSpec("docker",
                ["network", "inspect", "-f", "{{index .Options \"com.docker.network.driver.mtu\"}}", network]), ResourceLog.None, Ct)).Output.Trim();
            var made = await MtuOf(settings.KindNetwork);
            Assert.NotEqual("", made);
            Assert.Equal(await MtuOf("bridge"), made);
        }
        finally
        {
            await new KindClient(real).DeleteClusterAsync(_env.Name, settings.KubeconfigPath, ResourceLog.None, CancellationToken.None);
            await RemoveQuietlyAsync(() => _docker.Engine.Networks.DeleteNetworkAsync(settings.KindNetwork, CancellationToken.None));
        }
    }

    private static async Task SkipWithoutKindAsync(IProcessRunner real)
    {
        try
        {
            await new KindClient(real).GetVersionAsync(ResourceLog.None, Ct);
        }
        catch (ToolNotFoundException ex)
        {
            Assert.Skip("kind not installed: " + ex.Message);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                Assert.Fail($"no {what} within {timeout.TotalSeconds} s");
            }
        }
    }

    // Clean-up of what a test may or may not have made: a missing container or network is fine.
    private static async Task RemoveQuietlyAsync(Func<Task> remove)
    {
        try
        {
            await remove();
        }
        catch (Docker.DotNet.DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }
}
