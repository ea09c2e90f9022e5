using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kind;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <content>The engine the cluster runs on, shown on the resource whether or not the cluster exists.</content>
public sealed partial class ClusterResourceTests
{
    [Fact]
    public async Task Status_and_start_show_the_real_engine_and_what_it_means_even_before_the_cluster_exists()
    {
        var endpoint = DockerEndpointResolver.Resolve();
        var runner = new FakeProcessRunner()
            .On("kind version", stdout: "kind v0.32.0 go1.26.2 linux/amd64")
            .On("kind get clusters", stdout: "other\n");
        var cluster = new ClusterResource("cluster", Settings, new KindClient(runner), new KubernetesClient(Settings.KubeconfigPath, Settings.KubeContext), _engine)
        {
            IdentifyEngine = async ct => await ContainerEngineDetector.DetectAsync(_docker.Engine, endpoint, ct),
        };
        var context = _env.Context(cluster);

        await cluster.ProbeAsync(context, Ct);

        Assert.Equal(ResourceStates.Stopped, context.State);
        Assert.Equal($"kind cluster '{_env.Name}' not created", context.Reason);
        Assert.Equal(ContainerEngineKind.NativeDockerd, cluster.Engine?.Kind);
        Assert.StartsWith("native dockerd ", context.Current.Properties[ContainerEngine.Property]);
        Assert.Contains("pods' telemetry through the kind network's gateway on this host", context.Current.Properties[ContainerEngine.Property]);
    }

    [Fact]
    public async Task An_engine_that_does_not_answer_leaves_the_engine_unnamed_and_the_probe_says_what_to_do()
    {
        var endpoint = DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? $"unix:///tmp/devenv-no-docker-{_env.Name}.sock" : null, "/nonexistent-home");
        using var unreachable = DockerEngine.Connect(endpoint);
        var cluster = new ClusterResource("cluster", Settings, new KindClient(Runner(exists: true)), new KubernetesClient(Settings.KubeconfigPath, Settings.KubeContext),
            new ClusterEngine(unreachable))
        {
            IdentifyEngine = async ct => await ContainerEngineDetector.DetectAsync(unreachable, endpoint, ct),
        };
        var context = _env.Context(cluster);

        await cluster.ProbeAsync(context, Ct);

        Assert.Equal(ResourceStates.Failed, context.State);
        Assert.Contains("Cannot reach the Docker Engine", context.Reason);
        Assert.Null(cluster.Engine);
        Assert.False(context.Current.Properties.ContainsKey(ContainerEngine.Property));
    }
}
