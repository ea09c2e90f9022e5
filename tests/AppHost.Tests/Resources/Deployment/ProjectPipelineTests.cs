using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Resources.Registry;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.Deployment;

/// <summary>
/// The real pipeline of the watcher and the Rebuild &amp; deploy command: a real publish into the real registry, then the
/// real deployment resource applying through the real KubernetesClient to the stand-in API server. A newer edit
/// cancels the build token: during the build that stops the build and nothing is applied; once the rollout has begun
/// it goes on to the end, so the cluster never sees half an update.
/// </summary>
public sealed class ProjectPipelineTests : IAsyncDisposable
{
    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    private readonly TestResources _env = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync()
    {
        _env.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Cancelling_the_build_token_stops_a_build_but_never_a_rollout_that_has_begun()
    {
        using var ws = new SampleApiWorkspace();
        await using var h = new RegistryTestHarness(s => s with { SourceRoot = ws.Root });
        await h.StartRegistryAsync(Ct);
        await using var server = await FakeApiServer.StartAsync(Ct);
        server.WriteKubeconfig(_env.Settings.KubeconfigPath, _env.Settings.KubeContext);
        var imageWork = new ProjectImageResource("sampleapi-image", h.Settings, new ProcessRunner(), h.Registry.Oci)
        {
            BaseImage = DockerTestEnvironment.FixtureBaseImage,
            BaseImages = new BaseImageResolver(h.Env.Engine, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(false)),
            Options = ImageBuildOptions.Fast,
        };
        var image = new ContainerImageResource("sampleapi-image", imageWork) { Context = _env.Context("sampleapi-image") };
        var kubernetes = new KubernetesClient(_env.Settings.KubeconfigPath, _env.Settings.KubeContext) { RewatchDelay = TimeSpan.FromMinutes(5) };
        var deploymentWork = new DeploymentResource("sampleapi", _env.Settings, kubernetes, () => imageWork.LastGood?.ImageReference, () => imageWork.LastGood?.Tag);
        var deployment = new KubernetesDeploymentResource("sampleapi", deploymentWork) { Context = _env.Context("sampleapi") };
        var pipeline = new ProjectPipeline(image, deployment);
        Assert.True((await imageWork.BuildAsync(image.Context, Ct)).Success);
        deployment.Context.SetState(ResourceStates.Running, "serving the first image"); // deployed before, as under `up`

        // 1. An edit, and a newer one while its build runs: the build stops, nothing reaches the cluster.
        ws.Edit(ws.HelloFile, "\"Hello, World!\"", "\"Hello, first edit!\"");
        using (var superseded = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var run = pipeline.RebuildAndDeployAsync(superseded.Token, Ct);
            await _env.Notifications.WaitForAsync("sampleapi-image", s => s.State == ResourceStates.Building, Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            await superseded.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        }

        Assert.Empty(server.Requests);

        // 2. The build finishes and the apply has begun when the newer edit cancels the token: the rollout completes.
        var applying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.On("PATCH", $"{Deployments}/sampleapi", "fieldManager=devenv&force=true", async http =>
            {
                applying.SetResult();
                await release.Task.WaitAsync(http.RequestAborted);
                await FakeApiServer.Json(RolledOut())(http);
            })
            .On("PATCH", "/api/v1/namespaces/default/services/sampleapi", "fieldManager=devenv&force=true", FakeApiServer.Json(new V1Service()))
            .On("GET", Deployments, "watch=true&fieldSelector=metadata.name=sampleapi", FakeApiServer.Watch(keepOpen: true, ("MODIFIED", RolledOut())))
            .On("GET", $"{Deployments}/sampleapi", "", FakeApiServer.Json(RolledOut()))
            .On("GET", "/api/v1/namespaces/default/pods", $"labelSelector={deploymentWork.Selector}", FakeApiServer.Json(new V1PodList { Items = [] }))
            .On("GET", "/apis/apps/v1/namespaces/default/replicasets", $"labelSelector={deploymentWork.Selector}", FakeApiServer.Json(new V1ReplicaSetList { Items = [] }))
            .On("GET", "/api/v1/namespaces/default/events", "fieldSelector=involvedObject.kind=Pod", FakeApiServer.Json(new Corev1EventList { Items = [] }));
        using (var superseded = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var run = pipeline.RebuildAndDeployAsync(superseded.Token, Ct);
            await applying.Task.WaitAsync(TimeSpan.FromSeconds(120), Ct);
            await superseded.CancelAsync();
            release.SetResult();
            var result = await run.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.True(result.Success, result.Message);
            Assert.EndsWith("rolled out", result.Message, StringComparison.Ordinal);
        }

        server.AssertNoUnexpectedRequests();
        var applied = KubernetesYaml.Deserialize<V1Deployment>(server.Requests.First(r => r.Method == "PATCH").Body);
        Assert.Equal(imageWork.LastGood!.ImageReference, applied.Spec.Template.Spec.Containers.Single().Image);
        Assert.Equal(ResourceStates.Running, deployment.Context.State);
    }

    private static V1Deployment RolledOut() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "sampleapi", Generation = 2 },
        Spec = new V1DeploymentSpec { Replicas = 1, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() },
        Status = new V1DeploymentStatus { ObservedGeneration = 2, Replicas = 1, UpdatedReplicas = 1, ReadyReplicas = 1, AvailableReplicas = 1 },
    };
}
