using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Telemetry;
using DevEnv.AppHost.Tests.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// The gateway relay asks which engine it is under before it looks for the kind network's gateway: under a VM it says
/// so by the product's name and binds nothing (no socket error, no Secret written); under the real native dockerd here it
/// goes on to the gateway as before. The API server is the stand-in that fails on any request it was not told about.
/// </summary>
public sealed class GatewayRelayEngineTests : IDisposable
{
    private readonly TestResources _env = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Under_docker_desktop_the_relay_says_which_engine_and_which_path_and_binds_nothing()
    {
        await using var server = await FakeApiServer.StartAsync(Ct);
        var gatewayAsked = false;
        var engine = new ContainerEngine(ContainerEngineKind.DockerDesktop, "Docker Desktop", "28.5.1", "unix:///Users/dev/.docker/run/docker.sock (from docker context 'desktop-linux')");
        var relay = Relay(server, _ => Task.FromResult<ContainerEngine?>(engine), () => gatewayAsked = true);
        var context = _env.Context(relay);

        await relay.StartAsync(context, Ct);

        Assert.Equal(ResourceStates.Stopped, context.State);
        Assert.StartsWith("Docker Desktop: this host cannot listen on the kind network's gateway", context.Reason);
        Assert.Contains("in-cluster receiver read through the Kubernetes API", context.Reason);
        Assert.Equal(engine.Summary, context.Current.Properties[ContainerEngine.Property]);
        Assert.False(gatewayAsked, "the relay looked for the gateway under an engine whose gateway this host cannot listen on");
        Assert.Null(await relay.Settled.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        Assert.Empty(server.Requests);
        server.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Under_the_native_dockerd_here_the_relay_goes_on_to_the_gateway()
    {
        await using var server = await FakeApiServer.StartAsync(Ct);
        var endpoint = DockerEndpointResolver.Resolve();
        using var docker = DockerEngine.Connect(endpoint);
        var gatewayAsked = false;
        var relay = Relay(server, async ct => await ContainerEngineDetector.DetectAsync(docker, endpoint, ct), () => gatewayAsked = true);
        var context = _env.Context(relay);

        await relay.StartAsync(context, Ct);

        Assert.True(gatewayAsked, $"the relay did not look for the gateway under the native engine: {context.Reason}");
        Assert.Equal(ResourceStates.Stopped, context.State);
        Assert.StartsWith("the Docker network 'kind' has no IPv4 gateway on this host", context.Reason);
        server.AssertNoUnexpectedRequests();
    }

    private PodTelemetryRelay Relay(FakeApiServer server, Func<CancellationToken, Task<ContainerEngine?>> identify, Action gatewayAsked)
    {
        var kubeconfig = server.WriteKubeconfig(Path.Combine(_env.StateDirectory, "kubeconfig"), "kind-devenv");
        var target = new DashboardOtlpTarget(new Uri("http://127.0.0.1:18890"), "http/protobuf", "dashboard-key");
        return new PodTelemetryRelay("cluster-telemetry", _env.Settings, target, _ =>
        {
            gatewayAsked();
            return Task.FromResult<System.Net.IPAddress?>(null);
        }, new KubernetesClient(kubeconfig, "kind-devenv"))
        {
            IdentifyEngine = identify,
            ListenPort = FreePort.Next(),
        };
    }

    public void Dispose() => _env.Dispose();
}
