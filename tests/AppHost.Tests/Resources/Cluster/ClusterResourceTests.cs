using System.Text;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kind;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Support;
using Docker.DotNet;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <summary>
/// kind is scripted (no cluster can run here); the API server is the stand-in on 127.0.0.1 that answers only what
/// it was told, reached by the real KubernetesClient through the kubeconfig "kind get kubeconfig" printed; what the
/// cluster asks of Docker goes to the real Docker Engine, where the "node containers" are real labelled containers
/// of the fixture image named as kind names nodes.
/// </summary>
public sealed partial class ClusterResourceTests : IAsyncDisposable
{
    private static readonly V1NodeList ReadyNodes = new()
    {
        Metadata = new V1ListMeta { ResourceVersion = "100" },
        Items = [.. new[] { "n-control-plane", "n-worker", "n-worker2" }.Select(n => new V1Node
        {
            Metadata = new V1ObjectMeta { Name = n },
            Status = new V1NodeStatus
            {
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
                NodeInfo = new V1NodeSystemInfo { KubeletVersion = "v1.36.1", Architecture = "amd64", BootID = "b", ContainerRuntimeVersion = "c", KernelVersion = "k", KubeProxyVersion = "", MachineID = "m", OperatingSystem = "linux", OsImage = "o", SystemUUID = "s" },
            },
        })],
    };

    private readonly TestResources _env = new();
    private readonly DockerTestEnvironment _docker;

    // The cluster's own engine operations over the real engine: also how the tests write and read the nodes' files.
    private readonly ClusterEngine _engine;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ClusterResourceTests()
    {
        _docker = new DockerTestEnvironment(_env.Name);
        _engine = new ClusterEngine(_docker.Engine);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_api is not null)
            {
                // Fails the test on a request it was not told about: the containers must go all the same.
                await _api.DisposeAsync();
            }
        }
        finally
        {
            await _docker.DisposeAsync();
            _env.Dispose();
        }
    }

    private string Nodes => $"{_env.Name}-control-plane\n{_env.Name}-worker\n{_env.Name}-worker2";

    // A host port of this test's own: the control-plane container publishes it, as kind's --publish would.
    private readonly int _nodePort = FreePort.Next();
    // One port of the reserved range is enough here (the range's publishing is KindConfigRendererTests').

    // Our own network stands in for "kind"; the node image is one this machine has, so creation needs no pull.
    private EnvironmentSettings Settings => _env.Settings with
    {
        KindNetwork = _env.Name + "-kind", NodeImage = DockerTestEnvironment.RegistryImage, NodePort = _nodePort, NodePortCount = 1,
    };

    private static readonly VersionInfo ApiVersion = new()
    {
        GitVersion = "v1.36.1", Major = "1", Minor = "36", BuildDate = "2026-11-01T00:00:00Z", Compiler = "gc", GitCommit = "c",
        GitTreeState = "clean", GoVersion = "go1.26", Platform = "linux/amd64",
    };

    private FakeApiServer? _api;

    /// <summary>What a healthy cluster's API server answers to a start: its version, the nodes (listed this often), the ConfigMap apply.</summary>
    private static void AnswersAsAHealthyCluster(FakeApiServer api, int nodeLists) =>
        api.On("GET", "/version/", "", FakeApiServer.Json(ApiVersion))
            .On("GET", "/api/v1/nodes", "", FakeApiServer.Json(ReadyNodes), times: nodeLists)
            .On("PATCH", "/api/v1/namespaces/kube-public/configmaps/local-registry-hosting", "fieldManager=devenv&force=true", FakeApiServer.Json(new V1ConfigMap()));

    /// <summary>The stand-in API server; what kind get kubeconfig prints points at it (or at <paramref name="server"/>).</summary>
    private async Task<FakeApiServer> ApiAsync()
    {
        _api ??= await FakeApiServer.StartAsync(Ct);
        return _api;
    }

    private FakeProcessRunner Runner(bool exists, Uri? server = null) => new FakeProcessRunner()
        .On("kind version", stdout: "kind v0.32.0 go1.26.2 linux/amd64")
        .On("kind create cluster")
        .On("kind get clusters", stdout: exists ? $"other\n{_env.Name}\n" : "other\n")
        .On($"kind get nodes --name {_env.Name}", stdout: Nodes)
        .On($"kind get kubeconfig --name {_env.Name}", stdout: FakeApiServer.KubeconfigFor(server ?? _api?.Address ?? new Uri("http://127.0.0.1:9"), Settings.KubeContext));

    private (ClusterResource Resource, ResourceContext Context) Create(IProcessRunner runner, IClusterEngine? docker = null, EnvironmentSettings? settings = null,
        TimeSpan? apiServerTimeout = null)
    {
        var s = settings ?? Settings;
        var resource = new ClusterResource("cluster", s, new KindClient(runner),
            new KubernetesClient(s.KubeconfigPath, s.KubeContext) { RewatchDelay = TimeSpan.FromMilliseconds(200) }, docker ?? _engine)
        {
            NodesReadyTimeout = TimeSpan.FromSeconds(3),
            ApiServerTimeout = apiServerTimeout ?? TimeSpan.FromSeconds(3),
        };
        return (resource, _env.Context(resource));
    }

    /// <summary>
    /// Real node containers as kind makes them (kind's labels, the control plane publishing the node port, our label in the
    /// control plane's /kind/kubeadm.conf), those in <paramref name="stopped"/> created but not started; the kind network;
    /// the registry container.
    /// </summary>
    private async Task NodeContainersAsync(bool registry = true, params string[] stopped)
    {
        await _docker.CreateNetworkAsync(Settings.KindNetwork, _docker.Labels, Ct);
        foreach (var node in Nodes.Split('\n'))
        {
            var controlPlane = node.EndsWith("-control-plane", StringComparison.Ordinal);
            await KindNodeAsync(node, controlPlane ? "control-plane" : "worker", start: !stopped.Contains(node),
                ports: controlPlane ? Settings.HostNodePorts.ToDictionary(p => $"{p}/tcp", p => $"{Settings.BindAddress}:{p}") : null);
        }

        await MarkOursAsync($"{_env.Name}-control-plane");
        if (registry)
        {
            await _docker.CreateContainerAsync(Settings.RegistryContainerName, start: true, Ct);
        }
    }

    /// <summary>A container labelled as kind labels a node (plus this test's label, for clean-up), publishing <paramref name="ports"/> ("30080/tcp" → "127.0.0.1:30080").</summary>
    private async Task KindNodeAsync(string name, string role, bool start, Dictionary<string, string>? ports = null, string? image = null, bool ourTestLabel = true)
    {
        var labels = new Dictionary<string, string> { ["io.x-k8s.kind.cluster"] = _env.Name, [CreationSettings.RoleLabel] = role };
        if (ourTestLabel)
        {
            labels[EnvironmentSettings.EnvironmentLabel] = _env.Name;
        }

        // kind also publishes the API server on the control plane; that mapping is kind's, not a setting of ours.
        var bindings = (ports ?? []).ToDictionary(p => p.Key, p => (IList<Docker.DotNet.Models.PortBinding>)[new() { HostIP = p.Value.Split(':')[0], HostPort = p.Value.Split(':')[1] }]);
        if (role == "control-plane")
        {
            bindings[CreationSettings.ApiServerPort] = [new() { HostIP = "127.0.0.1", HostPort = FreePort.Next().ToString() }];
        }

        var id = (await _docker.Engine.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = name,
            Image = image ?? Settings.NodeImage,
            Labels = labels,
            ExposedPorts = bindings.Keys.ToDictionary(k => k, _ => default(Docker.DotNet.Models.EmptyStruct)),
            HostConfig = new Docker.DotNet.Models.HostConfig { PortBindings = bindings },
        }, Ct)).ID;
        if (start)
        {
            await _docker.Engine.Containers.StartContainerAsync(id, new Docker.DotNet.Models.ContainerStartParameters(), Ct);
        }
    }

    /// <summary>What kind's config action writes into a node: our environment label among the kubelet's node labels.</summary>
    private Task MarkOursAsync(string controlPlane) => _engine.WriteFileAsync(controlPlane, ClusterResource.KubeadmConfigPath,
        Encoding.UTF8.GetBytes($"kind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: \"{EnvironmentSettings.EnvironmentLabel}={_env.Name}\"\n"),
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, Ct);

    private async Task<string> HostsTomlOnAsync(string node) =>
        Encoding.UTF8.GetString(await _engine.ReadFileAsync(node, RegistryWiring.HostsFile(Settings), Ct));

    private IEnumerable<string> Log => _env.Logs.GetBacklog("cluster").Select(l => l.Text);

    [Fact]
    public async Task Creates_with_our_kubeconfig_then_wires_every_node_and_publishes_the_config_map()
    {
        await NodeContainersAsync();
        var api = await ApiAsync();
        // kind create writes our kubeconfig; the scripted kind does not, so it is there already.
        api.WriteKubeconfig(Settings.KubeconfigPath, Settings.KubeContext);
        api.On("PATCH", "/api/v1/namespaces/kube-public/configmaps/local-registry-hosting", "fieldManager=devenv&force=true", FakeApiServer.Json(new V1ConfigMap()))
            .On("GET", "/version/", "", FakeApiServer.Json(ApiVersion))
            .On("GET", "/api/v1/nodes", "", FakeApiServer.Json(ReadyNodes), times: 2);
        var runner = Runner(exists: false);
        var (cluster, context) = Create(runner);

        await cluster.StartAsync(context, Ct);

        var kubeconfig = Settings.KubeconfigPath;
        var configPath = Path.Combine(_env.StateDirectory, "kind-config.yaml");
        Assert.Contains($"kind create cluster --name {_env.Name} --config {configPath} --kubeconfig {kubeconfig} --image {Settings.NodeImage} --wait 180s",
            runner.CommandLines);
        Assert.Equal(KindConfigRenderer.Render(Settings), await File.ReadAllTextAsync(configPath, Ct));

        // hosts.toml is really on every node container, at kind's path, through the Engine API (the docker CLI is not run).
        Assert.Equal("/etc/containerd/certs.d/localhost:45001/hosts.toml", RegistryWiring.HostsFile(Settings));
        foreach (var node in Nodes.Split('\n'))
        {
            Assert.Equal(RegistryWiring.HostsToml(Settings), await HostsTomlOnAsync(node));
        }

        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("docker ", StringComparison.Ordinal));
        var registry = await _docker.Engine.Containers.InspectContainerAsync(Settings.RegistryContainerName, Ct);
        Assert.Contains(Settings.KindNetwork, registry.NetworkSettings!.Networks!.Keys);
        Assert.Contains($"connected {Settings.RegistryContainerName} to network {Settings.KindNetwork}", Log);
        var apply = Assert.Single(api.Requests, r => r.Method == "PATCH");
        var configMap = KubernetesYaml.Deserialize<V1ConfigMap>(apply.Body);
        Assert.Equal(ManifestYaml.Serialize(RegistryWiring.LocalRegistryHostingConfigMap(Settings)), ManifestYaml.Serialize(configMap));
        Assert.Contains("host: \"localhost:45001\"", configMap.Data["localRegistryHosting.v1"]);

        // No kubectl: the API server was asked, through our kubeconfig and its kind context (its current-context is another cluster's).
        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kubectl ", StringComparison.Ordinal));
        var snapshot = context.Current;
        Assert.Equal(ResourceStates.Running, snapshot.State);
        Assert.Contains("created kind cluster", snapshot.Reason);
        Assert.Equal("3/3 ready", snapshot.Properties["nodes"]);
        Assert.Equal("v1.36.1", snapshot.Properties["kubernetesVersion"]);
        Assert.Equal(kubeconfig, snapshot.Properties["kubeconfig"]);
        // kind's --wait covers the control plane only: the nodes were asked for after the API server answered.
        Assert.Equal(["/version/", "/api/v1/nodes"], api.Requests.Where(r => r.Method == "GET").Select(r => r.Path).Distinct());
    }

    [Fact]
    public async Task Reuses_a_healthy_cluster_and_refreshes_our_kubeconfig()
    {
        await NodeContainersAsync(registry: false);
        var api = await ApiAsync();
        AnswersAsAHealthyCluster(api, nodeLists: 2);
        var runner = Runner(exists: true);
        var (cluster, context) = Create(runner);

        await cluster.StartAsync(context, Ct);

        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kind create", StringComparison.Ordinal));
        // Nodes Ready was asked of the API server (listed, all Ready, so no watch was needed).
        Assert.Equal(2, api.Requests.Count(r => r.Method == "GET" && r.Path == "/api/v1/nodes"));
        Assert.Contains($"server: {api.Address.GetLeftPart(UriPartial.Authority)}", await File.ReadAllTextAsync(Settings.KubeconfigPath, Ct));
        Assert.Equal(ResourceStates.Running, context.Current.State);
        Assert.Contains("reused", context.Current.Reason);
        // Wiring is idempotent and redone: a node recreated by hand gets its hosts.toml back.
        Assert.Equal(3, Log.Count(l => l.StartsWith("wrote /etc/containerd/certs.d/localhost:45001/hosts.toml on ", StringComparison.Ordinal)));
        Assert.Equal(RegistryWiring.HostsToml(Settings), await HostsTomlOnAsync($"{_env.Name}-worker"));
        // The registry is another resource's container: its absence is said, not fatal.
        Assert.Contains(_env.Logs.GetBacklog("cluster"), l => l.IsError && l.Text.StartsWith($"registry container '{Settings.RegistryContainerName}' not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopped_node_containers_are_started_before_reuse()
    {
        await NodeContainersAsync(registry: true, $"{_env.Name}-worker2");
        var api = await ApiAsync();
        AnswersAsAHealthyCluster(api, nodeLists: 2);
        var (cluster, context) = Create(Runner(exists: true));

        await cluster.StartAsync(context, Ct);

        Assert.True((await _docker.Engine.Containers.InspectContainerAsync($"{_env.Name}-worker2", Ct)).State!.Running);
        Assert.Contains($"started node container {_env.Name}-worker2", Log);
        Assert.DoesNotContain($"started node container {_env.Name}-worker", Log);
        Assert.Equal(ResourceStates.Running, context.State);
    }

    [Fact]
    public async Task Docker_not_reachable_fails_with_what_to_do_and_where_we_looked()
    {
        var endpoint = DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? $"unix:///tmp/devenv-no-docker-{_env.Name}.sock" : null, "/nonexistent-home");
        using var unreachable = DockerEngine.Connect(endpoint);
        var (cluster, context) = Create(Runner(exists: true), new ClusterEngine(unreachable));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.StartsWith($"kind cluster '{_env.Name}': Cannot reach the Docker Engine at unix:///tmp/devenv-no-docker-{_env.Name}.sock", ex.Message);
        Assert.Contains("Is Docker running?", ex.Message);

        await cluster.ProbeAsync(context, Ct);
        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Contains("Cannot reach the Docker Engine", context.Reason);
    }

    [Fact]
    public async Task A_broken_cluster_is_reported_with_how_to_recreate_it()
    {
        await NodeContainersAsync();
        // The kubeconfig names an API server that refuses connections: nodes never get Ready, and the reason is named.
        var refusing = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var runner = Runner(exists: true, refusing);
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Equal(ex.Message, context.Reason);
        Assert.Contains($"kind cluster '{_env.Name}' exists but is broken", ex.Message);
        Assert.Contains("The Kubernetes API server did not answer within 3 s (", ex.Message);
        Assert.Contains($"Cannot reach the Kubernetes API server at {refusing.GetLeftPart(UriPartial.Authority)} ", ex.Message);
        Assert.Contains("refused", ex.Message[ex.Message.IndexOf("Cannot reach", StringComparison.Ordinal)..], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("'recreate-cluster' command", ex.Message);
        Assert.Contains($"kind delete cluster --name {_env.Name} --kubeconfig {Settings.KubeconfigPath}", ex.Message);
        Assert.Equal(ClusterResource.RecreateCommand, Assert.Single(cluster.GetCommands(context)).Name);
    }

    [Fact]
    public async Task A_half_created_cluster_without_nodes_is_broken()
    {
        var runner = new FakeProcessRunner().On("kind version", stdout: "kind v0.33.0 go1.26.2 linux/amd64")
            .On("kind get clusters", stdout: _env.Name)
            .On($"kind get nodes --name {_env.Name}", stderr: $"No kind nodes found for cluster \"{_env.Name}\".");
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Contains("no node containers", ex.Message);
        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kind create", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("kind", "Install kind")]
    public async Task A_missing_tool_fails_with_how_to_install_it(string tool, string hint)
    {
        var runner = Runner(exists: false);
        runner.Missing.Add(tool);
        var (cluster, context) = Create(runner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Contains($"'{tool}' was not found on PATH", context.Reason);
        Assert.Contains(hint, context.Reason);
    }

    [Fact]
    public async Task Docker_down_fails_with_the_command_and_dockers_message()
    {
        var runner = new FakeProcessRunner()
            .On("kind version", stdout: "kind v0.32.0 go1.26.2 linux/amd64")
            .On("kind get clusters", exitCode: 1, stderr: "ERROR: failed to list clusters: Cannot connect to the Docker daemon at unix:///var/run/docker.sock");
        var (cluster, context) = Create(runner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Contains("kind get clusters", context.Reason);
        Assert.Contains("Cannot connect to the Docker daemon", context.Reason);
    }

    [Fact]
    public async Task A_node_image_that_cannot_be_obtained_fails_before_kind_runs_using_the_real_docker_engine()
    {
        // kind is scripted; the real engine is asked for an image it cannot pull (nothing listens on that
        // loopback port, so it fails at once and without leaving the machine, as kindest/node fails on ours).
        var runner = Runner(exists: false);
        var image = $"127.0.0.1:{FreePort.Next()}/no-such-node:{_env.Name}";
        var (cluster, context) = Create(runner, settings: Settings with { NodeImage = image });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.StartsWith($"node image {image} cannot be obtained: ", ex.Message);
        Assert.Contains("127.0.0.1", ex.Message[$"node image {image}".Length..]); // the daemon's own reason follows
        Assert.Contains("`docker save` / `docker load`", ex.Message);
        Assert.Contains("DEVENV_NODE_IMAGE", ex.Message);
        Assert.IsAssignableFrom<DockerApiException>(ex.InnerException);
        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kind create", StringComparison.Ordinal));
        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Null(await _docker.Engine.Images.TryInspectImageAsync(image, Ct));
    }

    [Fact]
    public async Task The_real_kinds_pull_failure_is_reported_as_the_node_image()
    {
        var real = new ProcessRunner();
        try
        {
            await new KindClient(real).GetVersionAsync(ResourceLog.None, Ct);
        }
        catch (ToolNotFoundException ex)
        {
            Assert.Skip("kind not installed: " + ex.Message);
        }

        // Our own image check is told the image is there, so the real kind (and the real Docker Engine behind it)
        // tries to pull an image no registry has, and fails the way it fails for kindest/node on our machines.
        var settings = Settings with { NodeImage = $"127.0.0.1:{FreePort.Next()}/no-such-node:{_env.Name}" };
        var (cluster, context) = Create(real, new PresentImages(_engine), settings);
        try
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

            Assert.StartsWith($"node image {settings.NodeImage} cannot be obtained: ", ex.Message);
            Assert.Contains("failed to pull image", ex.Message);
            var clusters = await new KindClient(real).GetClustersAsync(ResourceLog.None, Ct);
            Assert.DoesNotContain(_env.Name, clusters); // kind cleaned up after itself
        }
        finally
        {
            await new KindClient(real).DeleteClusterAsync(_env.Name, settings.KubeconfigPath, ResourceLog.None, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Kinds_own_pull_failure_is_reported_as_the_node_image()
    {
        var runner = new FakeProcessRunner()
            .On("kind version", stdout: "kind v0.32.0 go1.26.2 linux/amd64")
            .On("kind create cluster", exitCode: 1, stderr: $"ERROR: failed to create cluster: failed to pull image \"{Settings.NodeImage}\": command \"docker pull\" failed")
            .On("kind get clusters", stdout: "");
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        // Our check found the (fixture) node image, so it is kind's own output that names it.
        Assert.Contains(runner.CommandLines, l => l.StartsWith("kind create cluster", StringComparison.Ordinal));
        Assert.StartsWith($"node image {Settings.NodeImage} cannot be obtained", ex.Message);
        Assert.Contains("command \"docker pull\" failed", ex.Message);
    }

    [Fact]
    public async Task Destroy_deletes_only_our_cluster_through_our_kubeconfig()
    {
        await NodeContainersAsync(registry: false);
        var runner = Runner(exists: true).On("kind delete cluster");
        var (cluster, context) = Create(runner);

        await cluster.DestroyAsync(context, Ct);

        Assert.Equal($"kind delete cluster --name {_env.Name} --kubeconfig {_env.Settings.KubeconfigPath}", runner.CommandLines[^1]);
        Assert.Equal(ResourceStates.Stopped, context.State);
    }

    [Fact]
    public async Task Status_probe_reports_a_missing_cluster_without_creating_it()
    {
        var runner = Runner(exists: false);
        var (cluster, context) = Create(runner);

        await cluster.ProbeAsync(context, Ct);

        Assert.Equal(ResourceStates.Stopped, context.State);
        Assert.Contains("not created", context.Reason);
        Assert.Equal(["kind get clusters"], runner.CommandLines);
    }

    [Fact]
    public async Task Status_probe_reports_a_running_cluster_and_stopped_nodes_without_starting_them()
    {
        await NodeContainersAsync();
        var api = await ApiAsync();
        api.On("GET", "/api/v1/nodes", "", FakeApiServer.Json(ReadyNodes));
        var runner = Runner(exists: true);
        var (cluster, context) = Create(runner);
        api.WriteKubeconfig(Settings.KubeconfigPath, Settings.KubeContext);

        await cluster.ProbeAsync(context, Ct);
        Assert.Equal(ResourceStates.Running, context.State);
        Assert.Equal("3/3 ready", context.Current.Properties["nodes"]);
        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kind get kubeconfig", StringComparison.Ordinal));

        // A node stopped behind our back (as after a Docker restart): the probe says so and leaves it stopped.
        var worker = $"{_env.Name}-worker";
        await _docker.Engine.Containers.KillContainerAsync(worker, new Docker.DotNet.Models.ContainerKillParameters(), Ct);
        await cluster.ProbeAsync(context, Ct);

        Assert.Equal(ResourceStates.Stopped, context.State);
        Assert.Equal($"node containers stopped: {worker} (up starts them)", context.Reason);
        Assert.False((await _docker.Engine.Containers.InspectContainerAsync(worker, Ct)).State!.Running);
        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kind create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_kind_status_says_how_to_install_it_and_destroy_has_nothing_to_delete()
    {
        var runner = new FakeProcessRunner();
        runner.Missing.Add("kind");
        var (cluster, context) = Create(runner);

        await cluster.ProbeAsync(context, Ct);
        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Contains("Install kind", context.Reason);

        await cluster.DestroyAsync(context, Ct);
        Assert.Equal(ResourceStates.Stopped, context.State);
    }

    [Fact]
    public void Manifests_are_the_kind_config_then_the_config_map()
    {
        var (cluster, _) = Create(new FakeProcessRunner());

        var documents = cluster.RenderManifests();

        Assert.Equal(2, documents.Count);
        Assert.StartsWith("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n", documents[0]);
        Assert.Empty(KubernetesSchema.Instance.Validate(documents[1]));
    }
}
