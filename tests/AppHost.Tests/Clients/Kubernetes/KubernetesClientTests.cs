using System.Net;
using System.Net.Sockets;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Configuration;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Clients.Kubernetes;

/// <summary>The real KubernetesClient against a stand-in API server on 127.0.0.1 that answers only what it was told.</summary>
public sealed class KubernetesClientTests : IAsyncDisposable
{
    private const string Context = "kind-fake";
    private const string Selector = "app.kubernetes.io/name=sampleapi,dev.devenv.environment=devenv";
    private readonly string _directory = Directory.CreateTempSubdirectory("devenv-kube-").FullName;
    private FakeApiServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private async Task<(FakeApiServer Server, KubernetesClient Client)> StartAsync()
    {
        _server = await FakeApiServer.StartAsync(Ct);
        var kubeconfig = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), Context);
        return (_server, new KubernetesClient(kubeconfig, Context) { RewatchDelay = TimeSpan.FromMinutes(5) });
    }

    internal static Workload Workload(int? nodePort = 31000) => new()
    {
        Name = "sampleapi",
        Environment = "devenv",
        Image = "localhost:5001/sampleapi:3f2a9c1e7b44",
        Revision = "3f2a9c1e7b44",
        Replicas = 3,
        NodePort = nodePort,
    };

    [Fact]
    public async Task Apply_is_a_server_side_apply_per_object_with_our_field_manager_forced_and_the_same_objects_in_the_body()
    {
        var (server, client) = await StartAsync();
        var configMap = RegistryWiring.LocalRegistryHostingConfigMap(new EnvironmentSettings { Name = "devenv", SourceRoot = "/src" });
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects = [.. WorkloadManifests.All(Workload()), configMap];
        const string ssa = "fieldManager=devenv&force=true&fieldValidation=Strict";
        server.On("PATCH", "/apis/apps/v1/namespaces/default/deployments/sampleapi", ssa, FakeApiServer.Json(objects[0]))
            .On("PATCH", "/api/v1/namespaces/default/services/sampleapi", ssa, FakeApiServer.Json(objects[1]))
            .On("PATCH", "/api/v1/namespaces/kube-public/configmaps/local-registry-hosting", ssa, FakeApiServer.Json(configMap));

        await client.ApplyAsync(objects, ResourceLog.None, Ct);

        var requests = server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(("PATCH", "application/apply-patch+yaml"), (r.Method, r.ContentType?.Split(';')[0])));
        Assert.All(requests, r => Assert.Equal(("devenv", "true"), (r.Query["fieldManager"], r.Query["force"])));
        // The body reads back (as YAML, which is how the API server reads apply-patch+yaml) to the same objects.
        Assert.Equal(ManifestYaml.Serialize(objects[0]), ManifestYaml.Serialize(KubernetesYaml.Deserialize<V1Deployment>(requests[0].Body)));
        Assert.Equal(ManifestYaml.Serialize(objects[1]), ManifestYaml.Serialize(KubernetesYaml.Deserialize<V1Service>(requests[1].Body)));
        Assert.Equal(ManifestYaml.Serialize(configMap), ManifestYaml.Serialize(KubernetesYaml.Deserialize<V1ConfigMap>(requests[2].Body)));
        Assert.Contains("\"00:00:05\"", requests[0].Body);
    }

    [Fact]
    public async Task A_watch_stream_of_pod_events_becomes_pod_states_with_revisions_terminations_and_probe_failures()
    {
        var (server, client) = await StartAsync();
        var pending = Pod("sampleapi-7d9c-a", phase: "Pending", ready: false);
        var running = Pod("sampleapi-7d9c-a", phase: "Running", ready: true) with { };
        running.Status.ContainerStatuses![0] = running.Status.ContainerStatuses[0] with
        {
            ImageID = "localhost:5001/sampleapi@sha256:1111111111111111111111111111111111111111111111111111111111111111",
        };
        var crashing = Pod("sampleapi-7d9c-b", phase: "Running", ready: false);
        crashing.Status.ContainerStatuses![0] = crashing.Status.ContainerStatuses[0] with
        {
            RestartCount = 4,
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = "back-off 40s" } },
            LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { Reason = "OOMKilled", ExitCode = 137 } },
        };
        var replicaSet = new V1ReplicaSet
        {
            ApiVersion = "apps/v1", Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta { Name = "sampleapi-7d9c", Annotations = new Dictionary<string, string> { [KubernetesStates.RevisionAnnotation] = "7" } },
        };
        var unhealthy = new Corev1Event
        {
            ApiVersion = "v1", Kind = "Event",
            Metadata = new V1ObjectMeta { Name = "e1" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "sampleapi-7d9c-b" },
            Type = "Warning", Reason = "Unhealthy", Message = "Liveness probe failed: exit code 1", Count = 3,
        };
        server.On("GET", "/api/v1/namespaces/default/pods", $"watch=true&labelSelector={Selector}",
                FakeApiServer.Watch(keepOpen: true, ("ADDED", pending), ("MODIFIED", running), ("ADDED", crashing)))
            .On("GET", "/apis/apps/v1/namespaces/default/replicasets", $"watch=true&labelSelector={Selector}", FakeApiServer.Watch(keepOpen: true, ("ADDED", replicaSet)))
            .On("GET", "/api/v1/namespaces/default/events", "watch=true&fieldSelector=involvedObject.kind=Pod", FakeApiServer.Watch(keepOpen: true, ("ADDED", unhealthy)));
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<IReadOnlyList<PodState>>();
        var done = new TaskCompletionSource<IReadOnlyList<PodState>>(TaskCreationOptions.RunContinuationsAsynchronously);

        var watch = client.WatchPodsAsync(Selector, pods =>
        {
            lock (seen)
            {
                seen.Add(pods);
            }

            if (pods.Count == 2 && pods.All(p => p.Revision == "7") && pods[1].LastProbeFailure is not null && pods[0].Ready)
            {
                done.TrySetResult(pods);
            }
        }, watching.Token);
        var final = await done.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        await watching.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Contains(seen, pods => pods.Count == 1 && pods[0].Phase == "Pending");
        var (a, b) = (final[0], final[1]);
        Assert.Equal(("sampleapi-7d9c-a", "Running", true, "sha256:1111111111111111111111111111111111111111111111111111111111111111"), (a.Name, a.Phase, a.Ready, a.Digest));
        Assert.Equal(("sampleapi-7d9c", "7", "devenv-worker"), (a.ReplicaSet, a.Revision, a.Node));
        Assert.Equal(("CrashLoopBackOff", "OOMKilled", 137, 4), (b.StateReason, b.LastTerminationReason, b.LastExitCode, b.Restarts));
        Assert.Equal("Warning Unhealthy: Liveness probe failed: exit code 1 (x3)", b.LastProbeFailure);
    }

    [Fact]
    public async Task Progress_deadline_exceeded_fails_the_rollout_with_the_real_deadline_the_replica_set_and_the_pods_story()
    {
        var (server, client) = await StartAsync();
        var stalled = WorkloadManifests.Deployment(Workload()) with { };
        stalled.Metadata.Generation = 2;
        stalled.Status = new V1DeploymentStatus
        {
            ObservedGeneration = 2, Replicas = 4, UpdatedReplicas = 1, ReadyReplicas = 3, AvailableReplicas = 3,
            Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet \"sampleapi-5f6d\" has timed out progressing." }],
        };
        var set = new V1ReplicaSet
        {
            ApiVersion = "apps/v1", Kind = "ReplicaSet", Metadata = new V1ObjectMeta { Name = "sampleapi-5f6d" },
            Status = new V1ReplicaSetStatus { Replicas = 1, Conditions = [new V1ReplicaSetCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = "pods \"sampleapi-5f6d-x\" is forbidden: exceeded quota" }] },
        };
        var oom = Pod("sampleapi-5f6d-a", phase: "Running", ready: false);
        oom.Status.ContainerStatuses![0] = oom.Status.ContainerStatuses[0] with
        {
            RestartCount = 2,
            LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { Reason = "OOMKilled", ExitCode = 137 } },
            State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
        };
        var events = new Corev1EventList
        {
            Items =
            [
                // Listed by name, as the API server does; the explanation orders them by time.
                Event("a-late", "BackOff", "Back-off restarting failed container", new DateTime(2026, 12, 1, 20, 5, 0, DateTimeKind.Utc)),
                Event("b-early", "Unhealthy", "Startup probe failed: connection refused", new DateTime(2026, 12, 1, 20, 1, 0, DateTimeKind.Utc)),
            ],
        };
        server.On("GET", "/apis/apps/v1/namespaces/default/deployments", "watch=true&fieldSelector=metadata.name=sampleapi", FakeApiServer.Watch(keepOpen: true, ("MODIFIED", stalled)))
            .On("GET", "/apis/apps/v1/namespaces/default/replicasets", $"labelSelector={Selector}", FakeApiServer.Json(new V1ReplicaSetList { Items = [set] }), times: 2)
            .On("GET", "/api/v1/namespaces/default/pods", $"labelSelector={Selector}", FakeApiServer.Json(new V1PodList { Items = [oom] }))
            .On("GET", "/api/v1/namespaces/default/events", "fieldSelector=involvedObject.kind=Pod", FakeApiServer.Json(events))
            .On("GET", "/api/v1/namespaces/default/events", "fieldSelector=involvedObject.kind=Pod,involvedObject.name=sampleapi-5f6d-a", FakeApiServer.Json(events))
            .On("GET", "/api/v1/namespaces/default/pods/sampleapi-5f6d-a/log", "previous=true&tailLines=15", FakeApiServer.Text("Unhandled exception. System.OutOfMemoryException\n"));

        var ex = await Assert.ThrowsAsync<RolloutFailedException>(() =>
            client.WaitForRolloutAsync("sampleapi", Selector, TimeSpan.FromMinutes(3), ResourceLog.None, Ct)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var lines = ex.Message.Split('\n');
        // The deadline the product renders, not a number of the test's: the message must name what stopped the rollout.
        var deadline = WorkloadManifests.Deployment(Workload()).Spec.ProgressDeadlineSeconds!.Value;
        Assert.NotEqual(180, deadline);
        Assert.Equal($"Deployment 'sampleapi' stopped rolling out: its controller gave up after progressDeadlineSeconds={deadline} s without progress " +
            "(ReplicaSet \"sampleapi-5f6d\" has timed out progressing.).", lines[0]);
        Assert.DoesNotContain("180", ex.Message);
        Assert.Contains("ReplicaSet sampleapi-5f6d: FailedCreate: pods \"sampleapi-5f6d-x\" is forbidden: exceeded quota", lines);
        Assert.Contains("Pod sampleapi-5f6d-a: phase Running, ready False, restarts 2, CrashLoopBackOff; last ended: OOMKilled, exit code 137", lines);
        var early = Array.FindIndex(lines, l => l.Contains("Startup probe failed", StringComparison.Ordinal));
        var late = Array.FindIndex(lines, l => l.Contains("Back-off restarting", StringComparison.Ordinal));
        Assert.True(early >= 0 && late > early, ex.Message);
        Assert.Contains("  log: Unhandled exception. System.OutOfMemoryException", lines);
        Assert.Equal("sampleapi-5f6d-a", Assert.Single(ex.FailingPods).Name);
    }

    [Fact]
    public async Task Nodes_ready_is_listed_then_watched_from_the_lists_version_until_every_node_is_ready()
    {
        var (server, client) = await StartAsync();
        V1Node Node(string name, bool ready) => new()
        {
            ApiVersion = "v1", Kind = "Node", Metadata = new V1ObjectMeta { Name = name },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
        };
        server.On("GET", "/api/v1/nodes", "", FakeApiServer.Json(new V1NodeList { Metadata = new V1ListMeta { ResourceVersion = "41" }, Items = [Node("cp", true), Node("w1", false)] }))
            .On("GET", "/api/v1/nodes", "watch=true&resourceVersion=41", FakeApiServer.Watch(keepOpen: true, ("MODIFIED", Node("w1", true))));

        Assert.True(await client.WaitForNodesReadyAsync(TimeSpan.FromSeconds(20), ResourceLog.None, Ct));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_missing_deployment_is_null_and_a_refusal_names_the_request_and_the_servers_reason()
    {
        var (server, client) = await StartAsync();
        server.On("GET", "/apis/apps/v1/namespaces/default/deployments/sampleapi", "", FakeApiServer.Status(404, "NotFound", "deployments.apps \"sampleapi\" not found"))
            .On("GET", "/api/v1/nodes", "", FakeApiServer.Status(403, "Forbidden", "nodes is forbidden: User \"dev\" cannot list resource \"nodes\""));

        Assert.Null(await client.GetDeploymentAsync("sampleapi", ResourceLog.None, Ct));
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetNodesAsync(ResourceLog.None, Ct));

        Assert.Equal($"The Kubernetes API server {server.Address.GetLeftPart(UriPartial.Authority)} refused to list nodes: 403 nodes is forbidden: User \"dev\" cannot list resource \"nodes\"", ex.Message);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
    }

    [Fact]
    public async Task An_api_server_that_refuses_connections_is_one_line_naming_it_and_what_to_do()
    {
        var port = ClosedPort();
        var kubeconfig = Path.Combine(_directory, "refusing");
        await File.WriteAllTextAsync(kubeconfig, FakeApiServer.KubeconfigFor(new Uri($"http://127.0.0.1:{port}"), Context), Ct);
        var client = new KubernetesClient(kubeconfig, Context);

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetNodesAsync(ResourceLog.None, Ct));

        Assert.StartsWith($"Cannot reach the Kubernetes API server at http://127.0.0.1:{port} (context {Context} in {kubeconfig}): ", ex.Message);
        Assert.Contains("refused", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("`up` starts it.", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task A_missing_kubeconfig_says_the_cluster_has_not_been_created()
    {
        var client = new KubernetesClient(Path.Combine(_directory, "none"), Context);

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetNodesAsync(ResourceLog.None, Ct));

        Assert.Contains("does not exist yet", ex.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static V1Pod Pod(string name, string phase, bool ready) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "sampleapi", ["pod-template-hash"] = name.Split('-')[1] },
            OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = string.Join('-', name.Split('-')[..2]), Uid = "u" }],
        },
        Spec = new V1PodSpec { NodeName = "devenv-worker", Containers = [new V1Container { Name = "sampleapi", Image = "localhost:5001/sampleapi:3f2a9c1e7b44" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            ContainerStatuses = [new V1ContainerStatus { Name = "sampleapi", Ready = ready, RestartCount = 0, Image = "localhost:5001/sampleapi:3f2a9c1e7b44", ImageID = "" }],
        },
    };

    private static Corev1Event Event(string name, string reason, string message, DateTime at) => new()
    {
        ApiVersion = "v1", Kind = "Event",
        Metadata = new V1ObjectMeta { Name = name },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "sampleapi-5f6d-a" },
        Type = "Warning", Reason = reason, Message = message, Count = 1, LastTimestamp = at,
    };
}
