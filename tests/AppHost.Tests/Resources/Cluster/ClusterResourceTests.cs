using DevEnv.AppHost.Clients.Kind;
using DevEnv.AppHost.Clients.Kubectl;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Resources.Cluster;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

public sealed class ClusterResourceTests : IDisposable
{
    private const string ReadyNodes = """
        {"items":[
          {"metadata":{"name":"n-control-plane"},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.36.1"}}},
          {"metadata":{"name":"n-worker"},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.36.1"}}},
          {"metadata":{"name":"n-worker2"},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.36.1"}}}
        ]}
        """;

    private readonly TestResources _env = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _env.Dispose();

    private string Nodes => $"{_env.Name}-control-plane\n{_env.Name}-worker\n{_env.Name}-worker2";

    private FakeProcessRunner Runner(bool exists) => new FakeProcessRunner()
        .On("kind version", stdout: "kind v0.32.0 go1.26.2 linux/amd64")
        .On("kind get clusters", stdout: exists ? $"other\n{_env.Name}\n" : "other\n")
        .On($"kind get nodes --name {_env.Name}", stdout: Nodes)
        .On($"kind get kubeconfig --name {_env.Name}", stdout: "apiVersion: v1\nkind: Config")
        .On("docker inspect --format '{{.State.Running}}'", stdout: "true")
        .On("docker inspect --format '{{json .NetworkSettings.Networks}}'", stdout: """{"bridge":{}}""")
        .On("get nodes --output=json", stdout: ReadyNodes);

    private (ClusterResource Resource, ResourceContext Context) Create(IProcessRunner runner)
    {
        var resource = new ClusterResource("cluster", _env.Settings, new KindClient(runner),
            new KubectlClient(runner, new KubectlArguments(_env.Settings.KubeconfigPath, _env.Settings.KubeContext)), new NodeDocker(runner));
        return (resource, _env.Context(resource));
    }

    [Fact]
    public async Task Creates_with_our_kubeconfig_then_wires_every_node_and_publishes_the_config_map()
    {
        var runner = Runner(exists: false);
        var (cluster, context) = Create(runner);

        await cluster.StartAsync(context, Ct);

        var kubeconfig = _env.Settings.KubeconfigPath;
        var configPath = Path.Combine(_env.StateDirectory, "kind-config.yaml");
        Assert.Contains($"kind create cluster --name {_env.Name} --config {configPath} --kubeconfig {kubeconfig} --image {_env.Settings.NodeImage} --wait 180s",
            runner.CommandLines);
        Assert.Equal(KindConfigRenderer.Render(_env.Settings), await File.ReadAllTextAsync(configPath, Ct));

        var hostsDir = "/etc/containerd/certs.d/localhost:45001";
        foreach (var node in Nodes.Split('\n'))
        {
            Assert.Contains($"docker exec {node} mkdir -p {hostsDir}", runner.CommandLines);
            var copy = Assert.Single(runner.Calls, c => c.ToString() == $"docker exec -i {node} cp /dev/stdin {hostsDir}/hosts.toml");
            Assert.Equal(RegistryWiring.HostsToml(_env.Settings), copy.StandardInput);
        }

        Assert.Contains($"docker network connect kind {_env.Name}-registry", runner.CommandLines);
        var apply = Assert.Single(runner.Calls, c => c.ToString().Contains("apply --server-side", StringComparison.Ordinal));
        Assert.Contains("name: local-registry-hosting", apply.StandardInput);
        Assert.Contains("host: \"localhost:45001\"", apply.StandardInput);

        // Everything kubectl did went to our kubeconfig and context.
        Assert.All(runner.CommandLines.Where(l => l.StartsWith("kubectl ", StringComparison.Ordinal) && !l.Contains("version --client", StringComparison.Ordinal)),
            l => Assert.StartsWith($"kubectl --kubeconfig {kubeconfig} --context kind-{_env.Name} ", l));
        var snapshot = context.Current;
        Assert.Equal(ResourceStates.Running, snapshot.State);
        Assert.Contains("created kind cluster", snapshot.Reason);
        Assert.Equal("3/3 ready", snapshot.Properties["nodes"]);
        Assert.Equal("v1.36.1", snapshot.Properties["kubernetesVersion"]);
        Assert.Equal(kubeconfig, snapshot.Properties["kubeconfig"]);
    }

    [Fact]
    public async Task Reuses_a_healthy_cluster_and_refreshes_our_kubeconfig()
    {
        var runner = Runner(exists: true);
        var (cluster, context) = Create(runner);

        await cluster.StartAsync(context, Ct);

        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kind create", StringComparison.Ordinal));
        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("docker pull", StringComparison.Ordinal));
        Assert.Contains(runner.CommandLines, l => l.EndsWith("wait --for=condition=Ready nodes --all --timeout=60s", StringComparison.Ordinal));
        Assert.Equal("apiVersion: v1\nkind: Config\n", await File.ReadAllTextAsync(_env.Settings.KubeconfigPath, Ct));
        Assert.Equal(ResourceStates.Running, context.Current.State);
        Assert.Contains("reused", context.Current.Reason);
        // Wiring is idempotent and redone: a node recreated by hand gets its hosts.toml back.
        Assert.Equal(3, runner.CommandLines.Count(l => l.Contains("cp /dev/stdin", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Stopped_node_containers_are_started_before_reuse()
    {
        var runner = new FakeProcessRunner()
            .On($"docker inspect --format '{{{{.State.Running}}}}' {_env.Name}-worker2", stdout: "false")
            .On("docker inspect --format '{{.State.Running}}'", stdout: "true");
        foreach (var (fragment, output) in new[] { ("kind get clusters", _env.Name), ($"kind get nodes --name {_env.Name}", Nodes), ("get nodes --output=json", ReadyNodes) })
        {
            runner.On(fragment, stdout: output);
        }

        var (cluster, context) = Create(runner);

        await cluster.StartAsync(context, Ct);

        Assert.Contains($"docker start {_env.Name}-worker2", runner.CommandLines);
        Assert.Equal(ResourceStates.Running, context.Current.State);
    }

    [Fact]
    public async Task A_broken_cluster_is_reported_with_how_to_recreate_it()
    {
        var runner = new FakeProcessRunner()
            .On("wait --for=condition=Ready", exitCode: 1, stderr: "error: timed out waiting for the condition on nodes/x")
            .On("get nodes --output=json", exitCode: 1, stderr: "The connection to the server 127.0.0.1:40000 was refused");
        runner.On("kind get clusters", stdout: _env.Name).On($"kind get nodes --name {_env.Name}", stdout: Nodes)
            .On("docker inspect --format '{{.State.Running}}'", stdout: "true");
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.Current.State);
        Assert.Equal(ex.Message, context.Current.Reason);
        Assert.Contains($"kind cluster '{_env.Name}' exists but is broken", ex.Message);
        Assert.Contains("was refused", ex.Message);
        Assert.Contains("'recreate-cluster' command", ex.Message);
        Assert.Contains($"kind delete cluster --name {_env.Name} --kubeconfig {_env.Settings.KubeconfigPath}", ex.Message);
        Assert.Equal(ClusterResource.RecreateCommand, Assert.Single(cluster.GetCommands(context)).Name);
    }

    [Fact]
    public async Task A_half_created_cluster_without_nodes_is_broken()
    {
        var runner = new FakeProcessRunner().On("kind get clusters", stdout: _env.Name);
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Contains("no node containers", ex.Message);
        Assert.DoesNotContain(runner.CommandLines, l => l.StartsWith("kind create", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("kind", "Install kind")]
    [InlineData("kubectl", "Install kubectl")]
    public async Task A_missing_tool_fails_with_how_to_install_it(string tool, string hint)
    {
        var runner = Runner(exists: false);
        runner.Missing.Add(tool);
        var (cluster, context) = Create(runner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.Current.State);
        Assert.Contains($"'{tool}' was not found on PATH", context.Current.Reason);
        Assert.Contains(hint, context.Current.Reason);
    }

    [Fact]
    public async Task Docker_down_fails_with_the_command_and_dockers_message()
    {
        var runner = new FakeProcessRunner()
            .On("kind get clusters", exitCode: 1, stderr: "ERROR: failed to list clusters: Cannot connect to the Docker daemon at unix:///var/run/docker.sock");
        var (cluster, context) = Create(runner);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.Current.State);
        Assert.Contains("kind get clusters", context.Current.Reason);
        Assert.Contains("Cannot connect to the Docker daemon", context.Current.Reason);
    }

    [Fact]
    public async Task A_node_image_that_cannot_be_obtained_fails_before_kind_runs_using_the_real_docker_engine()
    {
        var docker = new ProcessRunner();
        var ping = await docker.RunAsync(new ProcessSpec("docker", ["version", "--format", "{{.Server.Version}}"]), ResourceLog.None, Ct);
        if (ping.ExitCode != 0)
        {
            Assert.Skip("the Docker Engine is not running: " + ping.Error);
        }

        // kind and kubectl are scripted; docker is the real engine, asked about an image no registry has.
        var runner = Runner(exists: false);
        var passThrough = new FakeProcessRunner(runner, "docker");
        var image = $"devenv-test/no-such-node:{_env.Name}";
        var settings = _env.Settings with { NodeImage = image };
        var cluster = new ClusterResource("cluster", settings, new KindClient(passThrough),
            new KubectlClient(passThrough, new KubectlArguments(settings.KubeconfigPath, settings.KubeContext)), new NodeDocker(docker));
        var context = _env.Context(cluster);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.StartsWith($"node image {image} cannot be obtained: ", ex.Message);
        Assert.Contains("Error response from daemon", ex.Message);
        Assert.Contains("DEVENV_NODE_IMAGE", ex.Message);
        Assert.DoesNotContain(passThrough.CommandLines, l => l.StartsWith("kind create", StringComparison.Ordinal));
        Assert.Equal(ResourceStates.Failed, context.Current.State);
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
        var runner = new FakeProcessRunner(real, "kind", "kubectl").On("docker image inspect", exitCode: 0);
        var settings = _env.Settings with { NodeImage = $"devenv-test/no-such-node:{_env.Name}" };
        var cluster = new ClusterResource("cluster", settings, new KindClient(runner),
            new KubectlClient(runner, new KubectlArguments(settings.KubeconfigPath, settings.KubeContext)), new NodeDocker(runner));
        var context = _env.Context(cluster);
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
            .On("kind create cluster", exitCode: 1, stderr: $"ERROR: failed to create cluster: failed to pull image \"{_env.Settings.NodeImage}\": command \"docker pull\" failed")
            .On("kind get clusters", stdout: "");
        var (cluster, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.StartAsync(context, Ct));

        Assert.StartsWith($"node image {_env.Settings.NodeImage} cannot be obtained", ex.Message);
    }

    [Fact]
    public async Task Destroy_deletes_only_our_cluster_through_our_kubeconfig()
    {
        var runner = new FakeProcessRunner();
        var (cluster, context) = Create(runner);

        await cluster.DestroyAsync(context, Ct);

        Assert.Equal($"kind delete cluster --name {_env.Name} --kubeconfig {_env.Settings.KubeconfigPath}", Assert.Single(runner.CommandLines));
        Assert.Equal(ResourceStates.Stopped, context.Current.State);
    }

    [Fact]
    public async Task Status_probe_reports_a_missing_cluster_without_creating_it()
    {
        var runner = Runner(exists: false);
        var (cluster, context) = Create(runner);

        await cluster.ProbeAsync(context, Ct);

        Assert.Equal(ResourceStates.Stopped, context.Current.State);
        Assert.Contains("not created", context.Current.Reason);
        Assert.Equal(["kind get clusters"], runner.CommandLines);
    }

    [Fact]
    public async Task Status_probe_reports_a_running_cluster_and_stopped_nodes_without_starting_them()
    {
        var runner = Runner(exists: true);
        var (cluster, context) = Create(runner);
        await File.WriteAllTextAsync(_env.Settings.KubeconfigPath, "apiVersion: v1", Ct);

        await cluster.ProbeAsync(context, Ct);
        Assert.Equal(ResourceStates.Running, context.Current.State);
        Assert.Equal("3/3 ready", context.Current.Properties["nodes"]);

        var stoppedRunner = new FakeProcessRunner()
            .On("kind get clusters", stdout: _env.Name)
            .On($"kind get nodes --name {_env.Name}", stdout: Nodes)
            .On("docker inspect", stdout: "false");
        var stopped = new ClusterResource("cluster2", _env.Settings, new KindClient(stoppedRunner),
            new KubectlClient(stoppedRunner, new KubectlArguments(_env.Settings.KubeconfigPath, _env.Settings.KubeContext)), new NodeDocker(stoppedRunner));
        var stoppedContext = _env.Context(stopped);

        await stopped.ProbeAsync(stoppedContext, Ct);

        Assert.Equal(ResourceStates.Stopped, stoppedContext.Current.State);
        Assert.Contains("node containers stopped", stoppedContext.Current.Reason);
        Assert.DoesNotContain(stoppedRunner.CommandLines, l => l.StartsWith("docker start", StringComparison.Ordinal) || l.StartsWith("kind create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_kind_status_says_how_to_install_it_and_destroy_has_nothing_to_delete()
    {
        var runner = new FakeProcessRunner();
        runner.Missing.Add("kind");
        var (cluster, context) = Create(runner);

        await cluster.ProbeAsync(context, Ct);
        Assert.Equal(ResourceStates.Failed, context.Current.State);
        Assert.Contains("Install kind", context.Current.Reason);

        await cluster.DestroyAsync(context, Ct);
        Assert.Equal(ResourceStates.Stopped, context.Current.State);
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
