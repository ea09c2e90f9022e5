using System.Text.Json.Nodes;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Diagnostics;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.Diagnostics;

/// <summary>
/// The cluster path of the pod commands: the ephemeral container DevEnv adds to the pod DevEnv renders (checked against the
/// official Kubernetes 1.36 schema), the exec status read for the agent's exit code, and, where a kind cluster can run,
/// the whole collection through the API server.
/// </summary>
public sealed class KubernetesAgentRunnerTests
{
    private static readonly Workload SampleApi = new()
    {
        Name = DeploymentResource.SampleApiName, Environment = "devenv", Image = "localhost:5001/sampleapi:3f2a9c1e7b44", Revision = "3f2a9c1e7b44", Replicas = 1,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_ephemeral_container_shares_the_app_containers_processes_and_tmp_volume_as_its_user_and_validates_against_the_schema()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "sampleapi-abc", NamespaceProperty = "default" }, Spec = WorkloadPodSpec.For(SampleApi) };
        var target = new PodTarget("default", "sampleapi-abc", DeploymentResource.SampleApiName);

        var patch = JsonNode.Parse(KubernetesAgentRunner.EphemeralContainerPatch(pod, target, "kind-registry:5000/devenv-diagnostics:1.0.0"))!;

        var container = patch["spec"]!["ephemeralContainers"]![0]!;
        Assert.Null(patch["spec"]!["containers"]);
        Assert.Equal(KubernetesAgentRunner.ContainerName, (string?)container["name"]);
        Assert.Equal(DeploymentResource.SampleApiName, (string?)container["targetContainerName"]);
        Assert.Equal([AgentExitCodes.Executable, "idle"], container["command"]!.AsArray().Select(c => (string)c!).ToArray());
        var tmp = pod.Spec.Containers[0].VolumeMounts.Single(m => m.MountPath == "/tmp").Name;
        Assert.Equal(tmp, (string?)container["volumeMounts"]![0]!["name"]);
        Assert.Equal(AppContract.UserId, (long?)container["securityContext"]!["runAsUser"]);
        Assert.True((bool?)container["securityContext"]!["readOnlyRootFilesystem"]);
        Assert.False((bool?)container["securityContext"]!["allowPrivilegeEscalation"]);

        // The whole pod with the ephemeral container merged in is a valid Pod.
        pod.Spec.EphemeralContainers = [KubernetesJson.Deserialize<V1EphemeralContainer>(container.ToJsonString())];
        pod.ApiVersion = "v1";
        pod.Kind = "Pod";
        Assert.Empty(KubernetesSchema.Instance.Validate(ManifestYaml.SerializeAll([pod])));
    }

    [Fact]
    public void A_pod_without_a_tmp_volume_is_refused_with_why()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "x" }] } };

        var ex = Assert.Throws<InvalidOperationException>(() => KubernetesAgentRunner.EphemeralContainerPatch(pod, new PodTarget("default", "p", "app"), "img"));

        Assert.Equal("container app of pod p has no volume at /tmp, where the runtime's diagnostic socket is; the diagnostics container cannot reach it", ex.Message);
    }

    [Theory]
    [InlineData("""{"metadata":{},"status":"Success"}""", 0)]
    [InlineData("""{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status 4","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"4"}]}}""", 4)]
    public void The_exec_status_gives_the_agents_exit_code(string status, int exit) =>
        Assert.Equal(exit, KubernetesAgentRunner.ExitCodeOf(status));

    [Fact]
    public void An_exec_that_ends_without_a_status_is_a_pod_that_went_away() =>
        Assert.Throws<PodGoneException>(() => KubernetesAgentRunner.ExitCodeOf(""));

    [Fact]
    public async Task Collect_trace_through_the_api_server_on_a_live_cluster()
    {
        if (await KindAvailability.WhyUnavailableAsync(new EnvironmentSettings().NodeImage, Ct) is { } reason)
        {
            Assert.Skip("needs a live kind cluster with the tools image in its registry: " + reason);
        }

        var kubeconfig = Environment.GetEnvironmentVariable("DEVENV_DIAGNOSTICS_TEST_KUBECONFIG");
        var pod = Environment.GetEnvironmentVariable("DEVENV_DIAGNOSTICS_TEST_POD");
        if (kubeconfig is null || pod is null)
        {
            Assert.Skip("a kind cluster can run here, but this test needs a running DevEnv environment: set DEVENV_DIAGNOSTICS_TEST_KUBECONFIG and DEVENV_DIAGNOSTICS_TEST_POD (a SampleApi pod in namespace default) and DEVENV_DIAGNOSTICS_IMAGE");
        }

        using var api = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var state = Directory.CreateTempSubdirectory("devenv-diag-live-").FullName;
        var diagnostics = new PodDiagnostics(new KubernetesAgentRunner(api), new DiagnosticsFolder(state),
            Environment.GetEnvironmentVariable("DEVENV_DIAGNOSTICS_IMAGE")!, TimeProvider.System);
        var log = new List<string>();

        var result = await diagnostics.CollectTraceAsync(new PodTarget("default", pod, DeploymentResource.SampleApiName), TimeSpan.FromSeconds(5), log.Add, Ct);

        Assert.True(result.Success, result.Message + "\n" + string.Join('\n', log));
        var (exit, output) = await DiagnosticsTools.RunAsync(DiagnosticsTools.Tool("dotnet-trace"),
            ["convert", "--format", "Speedscope", Directory.GetFiles(state, "*.nettrace", SearchOption.AllDirectories).Single(), "-o", Path.Combine(state, "trace")], TimeSpan.FromMinutes(2), Ct);
        Assert.True(exit == 0, output);
        Assert.Contains("SampleApi!", await File.ReadAllTextAsync(Path.Combine(state, "trace.speedscope.json"), Ct));
    }
}
