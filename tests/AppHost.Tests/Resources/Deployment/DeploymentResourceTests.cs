using System.Text.Json;
using DevEnv.AppHost.Clients.Kubectl;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Resources.Cluster;
using DevEnv.AppHost.Resources.Deployment;
using DevEnv.AppHost.Tests.Clients.Kubectl;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Deployment;

public sealed class DeploymentResourceTests : IDisposable
{
    private const string Image = "localhost:45001/sampleapi:3f2a9c1e7b44";
    private const string RolledOut = """
        {"metadata":{"generation":2},"spec":{"replicas":3},
         "status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"readyReplicas":3,"availableReplicas":3}}
        """;

    private readonly TestResources _env = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _env.Dispose();

    private static FakeProcessRunner Runner() => new FakeProcessRunner()
        .On("get deployment sampleapi", stdout: RolledOut)
        .On("get pods", stdout: KubectlJsonTests.PodsJson)
        .On("get events", stdout: """{"items":[]}""");

    private static readonly string[] PodNames = ["sampleapi-7d9c-good", "sampleapi-7d9c-bad"];

    private (DeploymentResource Resource, ResourceContext Context) Create(FakeProcessRunner runner, string? image = Image)
    {
        var kubectl = new KubectlClient(runner, new KubectlArguments(_env.Settings.KubeconfigPath, _env.Settings.KubeContext));
        var resource = new DeploymentResource("sampleapi", _env.Settings, kubectl, () => image, () => "3f2a9c1e7b44");
        return (resource, _env.Context(resource));
    }

    [Fact]
    public async Task Start_applies_server_side_waits_for_the_rollout_and_publishes_pods()
    {
        var runner = Runner();
        var (deployment, context) = Create(runner);

        await deployment.StartAsync(context, Ct);

        var apply = Assert.Single(runner.Calls, c => c.ToString().Contains("apply --server-side --field-manager=devenv", StringComparison.Ordinal));
        Assert.Empty(KubernetesSchema.Instance.Validate(apply.StandardInput!));
        Assert.Contains($"image: \"{Image}\"", apply.StandardInput);
        Assert.Contains("kind: Service", apply.StandardInput);
        var order = runner.CommandLines.Select(l => l.Contains("apply", StringComparison.Ordinal) ? "apply" : l.Contains("rollout status", StringComparison.Ordinal) ? "status" : null)
            .OfType<string>().ToArray();
        Assert.Equal(["apply", "status"], order);

        var snapshot = context.Current;
        Assert.Equal(ResourceStates.Running, snapshot.State);
        Assert.Equal("3/3", snapshot.Properties["ready"]);
        Assert.Equal("complete", snapshot.Properties["rollout"]);
        Assert.Equal(Image, snapshot.Properties["image"]);
        Assert.Equal("2", snapshot.Properties["podCount"]);
        Assert.Equal("http://localhost:32001", Assert.Single(snapshot.Endpoints).Url);
        Assert.Equal([CommandNames.RestartRollout, CommandNames.Scale], deployment.GetCommands(context).Select(c => c.Name));

        // Each pod is a child resource of the deployment, with its own state and facts.
        var pods = PodNames.Select(_env.Notifications.Get).ToArray();
        Assert.All(pods, p => Assert.Equal("sampleapi", p.Properties["resource.parentName"]));
        Assert.Equal("Ready", pods[0].State);
        Assert.Equal("NotReady", pods[1].State);
        Assert.Equal("CrashLoopBackOff", pods[1].Properties["reason"]);
    }

    [Fact]
    public async Task A_failed_rollout_fails_the_resource_with_the_pods_story()
    {
        var runner = new FakeProcessRunner()
            .On("rollout status", exitCode: 1, stderr: "error: timed out waiting for the condition")
            .On("involvedObject.name=sampleapi-7d9c-bad", stdout: """
                {"items":[{"involvedObject":{"name":"sampleapi-7d9c-bad"},"type":"Warning","reason":"Failed","message":"Failed to pull image: not found","count":4}]}
                """);
        runner.On("get deployment sampleapi", stdout: RolledOut).On("get pods", stdout: KubectlJsonTests.PodsJson).On("get events", stdout: """{"items":[]}""");
        var (deployment, context) = Create(runner);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => deployment.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Contains("did not finish rolling out", ex.Message);
        Assert.Contains("Failed to pull image: not found (x4)", context.Reason);
    }

    [Fact]
    public async Task No_image_yet_fails_without_touching_the_cluster()
    {
        var runner = Runner();
        var (deployment, context) = Create(runner, image: null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => deployment.StartAsync(context, Ct));

        Assert.Contains("no image to deploy yet", ex.Message);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Latest_is_refused()
    {
        var runner = Runner();
        var (deployment, context) = Create(runner, image: "localhost:45001/sampleapi:latest");

        await Assert.ThrowsAsync<InvalidOperationException>(() => deployment.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public async Task Scale_command_takes_a_replicas_argument_and_waits_for_the_rollout()
    {
        var runner = Runner();
        var (deployment, context) = Create(runner);
        var scale = Assert.Single(deployment.GetCommands(context), c => c.Name == CommandNames.Scale);

        var result = await scale.ExecuteAsync(new Dictionary<string, string> { ["replicas"] = "2" }, Ct);
        var bad = await scale.ExecuteAsync(new Dictionary<string, string> { ["replicas"] = "-1" }, Ct);

        Assert.True(result.Success, result.Message);
        Assert.Contains(runner.CommandLines, l => l.EndsWith("scale deployment/sampleapi --replicas=2", StringComparison.Ordinal));
        Assert.Contains(runner.CommandLines, l => l.Contains("rollout status deployment/sampleapi", StringComparison.Ordinal));
        Assert.False(bad.Success);
        Assert.Contains("\"replicas\"", bad.Message);
        Assert.Equal(ResourceStates.Running, context.State);
    }

    [Fact]
    public async Task A_rebuild_after_scaling_keeps_the_scaled_count()
    {
        var runner = Runner();
        var (deployment, context) = Create(runner);
        Assert.Contains("replicas: 3", deployment.RenderManifests()[0]);
        var scale = Assert.Single(deployment.GetCommands(context), c => c.Name == CommandNames.Scale);

        Assert.True((await scale.ExecuteAsync(new Dictionary<string, string> { ["replicas"] = "5" }, Ct)).Success);
        await deployment.StartAsync(context, Ct);

        var apply = Assert.Single(runner.Calls, c => c.ToString().Contains("apply --server-side", StringComparison.Ordinal));
        Assert.Contains("replicas: 5", apply.StandardInput);
    }

    [Fact]
    public async Task Restart_command_restarts_the_rollout()
    {
        var runner = Runner();
        var (deployment, context) = Create(runner);

        var result = await Assert.Single(deployment.GetCommands(context), c => c.Name == CommandNames.RestartRollout)
            .ExecuteAsync(new Dictionary<string, string>(), Ct);

        Assert.True(result.Success, result.Message);
        Assert.Contains(runner.CommandLines, l => l.EndsWith("rollout restart deployment/sampleapi --field-manager=devenv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Monitoring_marks_a_running_deployment_degraded_when_pods_stop_being_ready_and_recovers()
    {
        var ready = 3;
        var runner = new FakeProcessRunner()
            .On(spec => spec.ToString().Contains("get deployment sampleapi", StringComparison.Ordinal), _ => (0, RolledOut.Replace("\"readyReplicas\":3", $"\"readyReplicas\":{ready}"), ""))
            .On("get pods", stdout: KubectlJsonTests.PodsJson)
            .On("get events", stdout: """{"items":[]}""");
        var (deployment, context) = Create(runner);
        await deployment.StartAsync(context, Ct);
        using var monitoring = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        ready = 1;
        var monitor = deployment.MonitorAsync(context, TimeSpan.FromMilliseconds(50), TimeProvider.System, monitoring.Token);
        var degraded = await _env.Notifications.WaitForAsync("sampleapi", s => s.State == ResourceStates.Degraded, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        ready = 3;
        var recovered = await _env.Notifications.WaitForAsync("sampleapi", s => s.State == ResourceStates.Running, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await monitoring.CancelAsync();
        await monitor.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal("only 1/3 pods ready", degraded.Reason);
        Assert.Equal("1/3", degraded.Properties["ready"]);
        Assert.Equal("3/3", recovered.Properties["ready"]);
    }

    [Fact]
    public async Task After_a_rollout_it_monitors_and_copies_pod_logs_until_stopped()
    {
        var runner = Runner().On("logs --follow", stdout: "[pod/sampleapi-7d9c-good/sampleapi] GET / 200");
        var kubectl = new KubectlClient(runner, new KubectlArguments(_env.Settings.KubeconfigPath, _env.Settings.KubeContext));
        var deployment = new DeploymentResource("sampleapi", _env.Settings, kubectl, () => Image, () => "r") { MonitorInterval = TimeSpan.FromMilliseconds(50) };
        var context = _env.Context(deployment);

        await deployment.StartAsync(context, Ct);
        await foreach (var line in _env.Logs.WatchAsync("sampleapi", Ct).WithCancellation(Ct))
        {
            if (line.Text == "[pod/sampleapi-7d9c-good/sampleapi] GET / 200")
            {
                break;
            }
        }

        await deployment.StopAsync(context, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Contains(runner.CommandLines, l => l.Contains("logs --follow --selector=app.kubernetes.io/name=sampleapi", StringComparison.Ordinal));
        Assert.Equal(ResourceStates.Running, context.State);
    }

    [Fact]
    public async Task Status_probe_reads_the_deployment_and_applies_nothing()
    {
        var (missing, missingContext) = Create(Runner());
        await missing.ProbeAsync(missingContext, Ct);
        Assert.Equal(ResourceStates.Stopped, missingContext.State);
        Assert.Contains("no kubeconfig", missingContext.Reason);

        await File.WriteAllTextAsync(_env.Settings.KubeconfigPath, "apiVersion: v1", Ct);
        var runner = Runner();
        var kubectl = new KubectlClient(runner, new KubectlArguments(_env.Settings.KubeconfigPath, _env.Settings.KubeContext));
        var deployment = new DeploymentResource("deployed", _env.Settings, kubectl, () => Image, () => "r");
        var context = _env.Context(deployment);

        await deployment.ProbeAsync(context, Ct);

        Assert.Equal(ResourceStates.Running, context.State);
        Assert.Equal("3/3", context.Current.Properties["ready"]);
        Assert.DoesNotContain(runner.CommandLines, l => l.Contains(" apply ", StringComparison.Ordinal) || l.Contains(" rollout ", StringComparison.Ordinal));

        var notFound = new FakeProcessRunner().On("get deployment", exitCode: 1, stderr: "Error from server (NotFound): deployments.apps \"sampleapi\" not found")
            .On("get pods", stdout: """{"items":[]}""").On("get events", stdout: """{"items":[]}""");
        var absent = new DeploymentResource("absent", _env.Settings,
            new KubectlClient(notFound, new KubectlArguments(_env.Settings.KubeconfigPath, _env.Settings.KubeContext)), () => Image, () => "r");
        var absentContext = _env.Context(absent);
        await absent.ProbeAsync(absentContext, Ct);
        Assert.Equal((ResourceStates.Stopped, "not deployed"), (absentContext.State, absentContext.Reason));
    }

    [Fact]
    public void Before_the_first_build_manifests_render_with_a_placeholder_tag_never_latest()
    {
        var (deployment, _) = Create(Runner(), image: null);

        var documents = deployment.RenderManifests();

        Assert.Contains("image: \"localhost:45001/sampleapi:not-built-yet\"", documents[0]);
        Assert.Empty(KubernetesSchema.Instance.Validate(ManifestYamlJoin(documents)));
    }

    private static string ManifestYamlJoin(IReadOnlyList<string> documents) => AppHost.Clients.Kubectl.Manifests.ManifestYaml.Join(documents);
}
