using System.Text.Json;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.AppHost.Tests.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Resources.PortForward;
using DevEnv.Hosting.Configuration;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace DevEnv.AppHost.Tests.Resources.Deployment;

/// <summary>The deployment resource with the real KubernetesClient against the stand-in API server.</summary>
public sealed class DeploymentResourceTests : IAsyncDisposable
{
    private const string Image = "localhost:45001/sampleapi:3f2a9c1e7b44";
    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string ReplicaSets = "/apis/apps/v1/namespaces/default/replicasets";
    private const string Events = "/api/v1/namespaces/default/events";
    private readonly TestResources _env = new();
    private FakeApiServer? _server;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Selector => $"app.kubernetes.io/name=sampleapi,dev.devenv.environment={_env.Name}";

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _env.Dispose();
    }

    private static V1Deployment RolledOut(int ready = 3) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "sampleapi", Generation = 2 },
        Spec = new V1DeploymentSpec { Replicas = 3, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        Status = new V1DeploymentStatus { ObservedGeneration = 2, Replicas = 3, UpdatedReplicas = 3, ReadyReplicas = ready, AvailableReplicas = ready },
    };

    private static readonly string[] PodNames = ["sampleapi-7d9c-good", "sampleapi-7d9c-bad"];

    private static V1PodList PodList()
    {
        var crashing = KubernetesClientTests.Pod("sampleapi-7d9c-bad", "Running", ready: false);
        crashing.Status.ContainerStatuses![0] = crashing.Status.ContainerStatuses[0] with
        {
            RestartCount = 2,
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
        };
        return new V1PodList { Items = [KubernetesClientTests.Pod("sampleapi-7d9c-good", "Running", ready: true), crashing] };
    }

    // The reads of a refresh: the deployment, its pods, their ReplicaSets and events.
    private FakeApiServer Refresh(FakeApiServer server, int times = 1, V1Deployment? deployment = null) => server
        .On("GET", $"{Deployments}/sampleapi", "", FakeApiServer.Json(deployment ?? RolledOut()), times)
        .On("GET", Pods, $"labelSelector={Selector}", FakeApiServer.Json(PodList()), times)
        .On("GET", ReplicaSets, $"labelSelector={Selector}", FakeApiServer.Json(new V1ReplicaSetList { Items = [] }), times)
        .On("GET", Events, "fieldSelector=involvedObject.kind=Pod", FakeApiServer.Json(new Corev1EventList { Items = [] }), times);

    private FakeApiServer RolloutWatch(FakeApiServer server, int times = 1) =>
        server.On("GET", Deployments, "watch=true&fieldSelector=metadata.name=sampleapi", FakeApiServer.Watch(keepOpen: true, ("MODIFIED", RolledOut())), times);

    private FakeApiServer Apply(FakeApiServer server, int times = 1) => server
        .On("PATCH", $"{Deployments}/sampleapi", "fieldManager=devenv&force=true", FakeApiServer.Json(RolledOut()), times)
        .On("PATCH", "/api/v1/namespaces/default/services/sampleapi", "fieldManager=devenv&force=true", FakeApiServer.Json(new V1Service()), times);

    private async Task<(DeploymentResource Resource, ResourceContext Context, FakeApiServer Server)> CreateAsync(string? image = Image, bool monitor = false)
    {
        _server = await FakeApiServer.StartAsync(Ct);
        _server.WriteKubeconfig(_env.Settings.KubeconfigPath, _env.Settings.KubeContext);
        var kubernetes = new KubernetesClient(_env.Settings.KubeconfigPath, _env.Settings.KubeContext) { RewatchDelay = TimeSpan.FromMinutes(5) };
        var resource = new DeploymentResource("sampleapi", _env.Settings, kubernetes, () => image, () => "3f2a9c1e7b44") { Monitor = monitor };
        return (resource, _env.Context(resource), _server);
    }

    [Fact]
    public async Task Start_applies_server_side_waits_for_the_rollout_and_publishes_pods()
    {
        var (deployment, context, server) = await CreateAsync();
        Refresh(RolloutWatch(Apply(server)));

        await deployment.StartAsync(context, Ct);

        var requests = server.Requests;
        var applied = requests.Where(r => r.Method == "PATCH").ToArray();
        Assert.Equal(2, applied.Length);
        var yaml = ManifestYaml.SerializeAll([KubernetesYaml.Deserialize<V1Deployment>(applied[0].Body), KubernetesYaml.Deserialize<V1Service>(applied[1].Body)]);
        Assert.Empty(KubernetesSchema.Instance.Validate(yaml));
        Assert.Equal(ManifestYaml.Join((await deployment.RenderManifestsAsync(TestContext.Current.CancellationToken))), yaml);
        Assert.Contains($"image: \"{Image}\"", yaml);
        var order = requests.Select(r => r.Method == "PATCH" ? "apply" : r.Query.ContainsKey("watch") ? "watch" : null).OfType<string>().Distinct().ToArray();
        Assert.Equal(["apply", "watch"], order);

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
    public async Task On_a_remote_target_each_endpoint_url_is_a_port_forward_to_a_ready_pod_until_the_resource_stops()
    {
        // A shared cluster's node ports are not on this host; the URL the dashboard shows must answer all the same. The API
        // server's pods/portforward is the one part that needs a cluster: ProcessPods stands in for it (a real SampleApi).
        var cancellation = Ct;
        var podPort = FreePort.Next();
        await using var pod = await SampleApiPods.StartAsync(podPort, cancellation);
        _server = await FakeApiServer.StartAsync(cancellation);
        var settings = _env.Settings with { RemoteRegistry = RegistryTarget.Parse("registry.example.com/team"), Namespace = "default" };
        _server.WriteKubeconfig(settings.KubeconfigPath, settings.KubeContext);
        var localPort = FreePort.Next();
        var pods = new ProcessPods("default", $"app.kubernetes.io/name=sampleapi,dev.devenv.environment={_env.Name}");
        pods.Ready("sampleapi-7d9c-good", podPort, DateTime.UtcNow);
        var resource = new DeploymentResource("sampleapi", settings, new KubernetesClient(settings.KubeconfigPath, settings.KubeContext), () => Image, () => "3f2a9c1e7b44")
        {
            Ports = [new WorkloadPort("http", 8080, NodePort: localPort, EndpointName: "http")],
            PortForwards = pods,
        };
        var context = _env.Context(resource);
        Refresh(RolloutWatch(Apply(_server)));

        await resource.StartAsync(context, cancellation);

        var url = Assert.Single(context.Current.Endpoints).Url;
        Assert.Equal($"http://localhost:{localPort}", url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("Hello, World!", await http.GetStringAsync($"http://127.0.0.1:{localPort}/", cancellation));
        Assert.True(pods.Opened.ContainsKey("sampleapi-7d9c-good"));
        Assert.Contains(_env.Logs.GetBacklog("sampleapi"), l => l.Text.Contains($"http://127.0.0.1:{localPort}/ reaches port 8080 of a ready pod", StringComparison.Ordinal));

        await resource.StopAsync(context, cancellation);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync($"http://127.0.0.1:{localPort}/", cancellation));
    }

    [Fact]
    public async Task A_stalled_rollout_fails_the_resource_with_the_pods_story()
    {
        var (deployment, context, server) = await CreateAsync();
        var stalled = RolledOut(ready: 2);
        stalled.Status.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "timed out" }];
        stalled.Spec.ProgressDeadlineSeconds = 120;
        stalled.Status.UpdatedReplicas = 1;
        Apply(server).On("GET", Deployments, "watch=true&fieldSelector=metadata.name=sampleapi", FakeApiServer.Watch(keepOpen: true, ("MODIFIED", stalled)));
        Refresh(server, times: 2, deployment: stalled);
        server.On("GET", ReplicaSets, $"labelSelector={Selector}", FakeApiServer.Json(new V1ReplicaSetList { Items = [] }))
            .On("GET", Events, "fieldSelector=involvedObject.kind=Pod,involvedObject.name=sampleapi-7d9c-bad", FakeApiServer.Json(new Corev1EventList
            {
                Items = [new Corev1Event { Metadata = new V1ObjectMeta { Name = "e" }, InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "sampleapi-7d9c-bad" }, Type = "Warning", Reason = "Failed", Message = "Failed to pull image: not found", Count = 4 }],
            }))
            .On("GET", $"{Pods}/sampleapi-7d9c-bad/log", "previous=true", FakeApiServer.Text(""))
            .On("GET", $"{Pods}/sampleapi-7d9c-bad/log", "tailLines=15", FakeApiServer.Text("boom\n"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => deployment.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.Current.State);
        Assert.StartsWith("Deployment 'sampleapi' stopped rolling out: its controller gave up after progressDeadlineSeconds=120 s", ex.Message);
        Assert.Contains("Failed to pull image: not found (x4)", context.Current.Reason);
        Assert.Contains("  log: boom", context.Current.Reason);
    }

    [Fact]
    public async Task No_image_yet_fails_without_touching_the_cluster()
    {
        var (deployment, context, server) = await CreateAsync(image: null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => deployment.StartAsync(context, Ct));

        Assert.Contains("no image to deploy yet", ex.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Latest_is_refused()
    {
        var (deployment, context, server) = await CreateAsync(image: "localhost:45001/sampleapi:latest");

        await Assert.ThrowsAsync<InvalidOperationException>(() => deployment.StartAsync(context, Ct));

        Assert.Equal(ResourceStates.Failed, context.Current.State);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Scale_command_patches_the_scale_subresource_waits_for_the_rollout_and_a_rebuild_keeps_the_count()
    {
        var (deployment, context, server) = await CreateAsync();
        server.On("PATCH", $"{Deployments}/sampleapi/scale", "fieldManager=devenv", FakeApiServer.Json(new V1Scale()));
        Refresh(RolloutWatch(server, times: 2), times: 2);
        Apply(server);
        Assert.Contains("replicas: 3", (await deployment.RenderManifestsAsync(TestContext.Current.CancellationToken))[0]);
        var scale = Assert.Single(deployment.GetCommands(context), c => c.Name == CommandNames.Scale);

        var result = await scale.ExecuteAsync(new Dictionary<string, string> { ["replicas"] = "5" }, Ct);
        var bad = await scale.ExecuteAsync(new Dictionary<string, string> { ["replicas"] = "-1" }, Ct);
        await deployment.StartAsync(context, Ct);

        Assert.True(result.Success, result.Message);
        var patch = Assert.Single(server.Requests, r => r.Path.EndsWith("/scale", StringComparison.Ordinal));
        Assert.Equal(("application/merge-patch+json", """{"spec":{"replicas":5}}"""), (patch.ContentType?.Split(';')[0], patch.Body));
        Assert.False(bad.Success);
        Assert.Contains("\"replicas\"", bad.Message);
        Assert.Equal(5, KubernetesYaml.Deserialize<V1Deployment>(server.Requests.First(r => r.Method == "PATCH" && r.Path.EndsWith("/sampleapi", StringComparison.Ordinal)).Body).Spec.Replicas);
        Assert.Equal(ResourceStates.Running, context.Current.State);
    }

    [Fact]
    public async Task Restart_command_patches_the_template_so_a_new_replica_set_rolls_out()
    {
        var (deployment, context, server) = await CreateAsync();
        server.On("PATCH", $"{Deployments}/sampleapi", "fieldManager=devenv", FakeApiServer.Json(RolledOut()));
        Refresh(RolloutWatch(server));

        var result = await Assert.Single(deployment.GetCommands(context), c => c.Name == CommandNames.RestartRollout)
            .ExecuteAsync(new Dictionary<string, string>(), Ct);

        Assert.True(result.Success, result.Message);
        var patch = Assert.Single(server.Requests, r => r.Method == "PATCH");
        Assert.Equal("application/strategic-merge-patch+json", patch.ContentType?.Split(';')[0]);
        Assert.Contains("kubectl.kubernetes.io/restartedAt", JsonDocument.Parse(patch.Body).RootElement.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("annotations").EnumerateObject().Single().Name);
    }

    [Fact]
    public async Task Monitoring_follows_the_deployment_watch_to_degraded_and_back_and_copies_pod_logs()
    {
        var (deployment, context, server) = await CreateAsync(monitor: true);
        Refresh(RolloutWatch(Apply(server)));
        var degradedSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.On("GET", Deployments, "watch=true&fieldSelector=metadata.name=sampleapi", async http =>
            {
                await FakeApiServer.WriteEventAsync(http, "MODIFIED", RolledOut(ready: 1));
                await degradedSeen.Task.WaitAsync(http.RequestAborted);
                await FakeApiServer.WriteEventAsync(http, "MODIFIED", RolledOut(ready: 3));
                await FakeApiServer.HoldOpenAsync(http);
            })
            // The monitor and the log copier each watch the pods, their ReplicaSets and events.
            .On("GET", Pods, $"watch=true&labelSelector={Selector}", FakeApiServer.Watch(keepOpen: true, ("ADDED", PodList().Items[0])), times: 2)
            .On("GET", ReplicaSets, $"watch=true&labelSelector={Selector}", FakeApiServer.Watch(keepOpen: true), times: 2)
            .On("GET", Events, "watch=true&fieldSelector=involvedObject.kind=Pod", FakeApiServer.Watch(keepOpen: true), times: 2)
            .On("GET", $"{Pods}/sampleapi-7d9c-good/log", "follow=true&tailLines=20", async http =>
            {
                await http.Response.WriteAsync("GET / 200\n", http.RequestAborted);
                await FakeApiServer.HoldOpenAsync(http);
            });

        await deployment.StartAsync(context, Ct);
        var degraded = await _env.Notifications.WaitForAsync("sampleapi", s => s.State == ResourceStates.Degraded, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        degradedSeen.SetResult();
        var recovered = await _env.Notifications.WaitForAsync("sampleapi", s => s.State == ResourceStates.Running, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await foreach (var line in _env.Logs.WatchAsync("sampleapi", Ct).WithCancellation(Ct))
        {
            if (line.Text == "[pod/sampleapi-7d9c-good] GET / 200")
            {
                break;
            }
        }

        // The pod's own console log (its child resource in the dashboard) has the line too, without the prefix.
        using var podLog = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        podLog.CancelAfter(TimeSpan.FromSeconds(20));
        await foreach (var batch in _env.Notifications.Loggers.WatchAsync("sampleapi-7d9c-good").WithCancellation(podLog.Token))
        {
            if (batch.Any(l => l.Content.EndsWith("GET / 200", StringComparison.Ordinal) && !l.Content.Contains("[pod/", StringComparison.Ordinal)))
            {
                break;
            }
        }

        await deployment.StopAsync(context, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal("only 1/3 pods ready", degraded.Reason);
        Assert.Equal("1/3", degraded.Properties["ready"]);
        Assert.Equal("3/3", recovered.Properties["ready"]);
        Assert.Equal(ResourceStates.Running, context.Current.State);
    }

    [Fact]
    public async Task Status_probe_reads_the_deployment_and_applies_nothing()
    {
        var settings = _env.Settings;
        var missing = new DeploymentResource("missing", settings, new KubernetesClient(settings.KubeconfigPath, settings.KubeContext), () => Image, () => "r");
        var missingContext = _env.Context(missing);
        await missing.ProbeAsync(missingContext, Ct);
        Assert.Equal(ResourceStates.Stopped, missingContext.State);
        Assert.Contains("no kubeconfig", missingContext.Reason);

        var (deployment, context, server) = await CreateAsync();
        Refresh(server);
        await deployment.ProbeAsync(context, Ct);

        Assert.Equal(ResourceStates.Running, context.State);
        Assert.Equal("3/3", context.Current.Properties["ready"]);
        Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));

        server.On("GET", $"{Deployments}/sampleapi", "", FakeApiServer.Status(404, "NotFound", "deployments.apps \"sampleapi\" not found"))
            .On("GET", Pods, $"labelSelector={Selector}", FakeApiServer.Json(new V1PodList { Items = [] }))
            .On("GET", ReplicaSets, $"labelSelector={Selector}", FakeApiServer.Json(new V1ReplicaSetList { Items = [] }))
            .On("GET", Events, "fieldSelector=involvedObject.kind=Pod", FakeApiServer.Json(new Corev1EventList { Items = [] }));
        await deployment.ProbeAsync(context, Ct);
        Assert.Equal((ResourceStates.Stopped, "not deployed"), (context.Current.State, context.Current.Reason));
    }

    [Fact]
    public async Task Before_the_first_build_manifests_render_with_a_placeholder_tag_never_latest()
    {
        var deployment = new DeploymentResource("sampleapi", _env.Settings, new KubernetesClient(_env.Settings.KubeconfigPath, _env.Settings.KubeContext), () => null, () => null);

        var documents = (await deployment.RenderManifestsAsync(TestContext.Current.CancellationToken));

        Assert.Contains("image: \"localhost:45001/sampleapi:not-built-yet\"", documents[0]);
        Assert.Empty(KubernetesSchema.Instance.Validate(ManifestYaml.Join(documents)));
    }

    [Fact]
    public async Task Without_a_node_port_the_service_is_cluster_ip_and_no_url_is_shown()
    {
        var deployment = new DeploymentResource("worker", _env.Settings, new KubernetesClient(_env.Settings.KubeconfigPath, _env.Settings.KubeContext), () => Image, () => "r")
        {
            WorkloadName = "worker",
            NodePort = null,
        };

        var service = KubernetesYaml.Deserialize<V1Service>((await deployment.RenderManifestsAsync(TestContext.Current.CancellationToken))[1]);

        Assert.Equal(("worker", "ClusterIP"), (service.Metadata.Name, service.Spec.Type));
        Assert.Null(deployment.Url);
        Assert.Equal($"app.kubernetes.io/name=worker,dev.devenv.environment={_env.Name}", deployment.Selector);
    }

}
