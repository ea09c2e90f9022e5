using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Telemetry;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Clients.Kubernetes;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Resources.Registry;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// The pods' telemetry reaches the real Aspire dashboard the way it does from kind: the product's image of SampleApi
/// (built by the real pipeline into a real registry) runs in a container on the Docker Engine, on a bridge network (the
/// kind network's stand-in), with exactly the environment the rendered Deployment gives its container, resolved as the
/// kubelet does; the relay listens on that network's gateway, read from the engine; the Secret with the dashboard's key
/// goes through the real KubernetesClient (to a stand-in API server, the one part that needs a cluster).
/// </summary>
public sealed partial class PodTelemetryTests : IAsyncDisposable
{
    private const string PodName = "sampleapi-6f7c9d-x2kqp";
    private readonly string _directory = Directory.CreateTempSubdirectory("devenv-telemetry-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Traces_metrics_and_logs_of_a_pod_container_reach_the_dashboard_under_its_name_and_pod_through_the_gateway_relay_with_the_key_from_the_secret()
    {
        var executable = AspireDashboardProcess.FindExecutable();
        Assert.True(executable is not null, "the Aspire dashboard (Aspire.Dashboard.Sdk.linux-x64) is not in the NuGet cache: restore the AppHost");
        await using var dashboard = await AspireDashboardProcess.StartAsync(executable, Ct);
        using var ws = new SampleApiWorkspace();
        await using var h = new RegistryTestHarness(s => s with { SourceRoot = ws.Root });
        await h.StartRegistryAsync(Ct);
        var network = h.Settings.KindNetwork;
        await h.Env.CreateNetworkAsync(network, h.Env.Labels, Ct);

        await using var server = await FakeApiServer.StartAsync(Ct);
        server.On("PATCH", $"/api/v1/namespaces/default/secrets/{PodTelemetry.HeadersSecretName}", "fieldManager=devenv&force=true",
            FakeApiServer.Json(new { apiVersion = "v1", kind = "Secret" }));
        var kubernetes = new KubernetesClient(server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), "kind-devenv"), "kind-devenv");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = dashboard.OtlpHttp.ToString(),
            ["AppHost:OtlpApiKey"] = dashboard.ApiKey,
        }).Build();
        var relay = new PodTelemetryRelay("cluster-telemetry", h.Settings, DashboardOtlpTarget.From(configuration),
            ct => KindNetworkGateway.FindAsync(h.Env.Engine, network, ct), kubernetes)
        {
            ListenPort = FreePort.Next(),
        };
        await relay.StartAsync(h.ContextFor(relay), Ct);
        var gateway = await KindNetworkGateway.FindAsync(h.Env.Engine, network, Ct);
        Assert.NotNull(gateway);
        Assert.Equal($"http://{gateway}:{relay.ListenPort}", relay.Current?.Endpoint);
        server.AssertNoUnexpectedRequests();
        var secret = KubernetesYaml.Deserialize<V1Secret>(Assert.Single(server.Requests).Body);

        var image = new ProjectImageResource("image", h.Settings, new ProcessRunner(), h.Registry.Oci)
        {
            BaseImage = DockerTestEnvironment.FixtureBaseImage,
            BaseImages = new BaseImageResolver(h.Env.Engine, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(false)),
        };
        var built = await image.BuildAsync(h.ContextFor(image), Ct);
        Assert.True(built.Success, built.Error);

        // The container's environment, as the kubelet builds it from the rendered Deployment.
        var workload = KubernetesClientTests.Workload() with { Image = built.Build!.ImageReference, Telemetry = relay.Current };
        var container = WorkloadManifests.Deployment(workload).Spec.Template.Spec.Containers.Single();
        var environment = KubeletEnvironment(container.Env, secret);
        Assert.Equal($"x-otlp-api-key={dashboard.ApiKey}", environment["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.DoesNotContain(container.Env, e => e.Value?.Contains(dashboard.ApiKey, StringComparison.Ordinal) == true);

        await using var pod = await PodContainer.StartAsync(h.Env, built.Build.ImageReference, PodName, network, environment, Ct);
        Assert.Equal("Hello, World!", await pod.GetAsync("/", Ct));

        // What the dashboard shows: the service by the workload's name, the pod as its instance, the request's span,
        // the app's structured logs, its metrics. The relay carried it all (the app was given the relay's address only).
        var clock = Stopwatch.StartNew();
        string spans = "", logs = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !(spans.Contains("GET /", StringComparison.Ordinal) && logs.Contains(PodName, StringComparison.Ordinal)))
        {
            await Task.Delay(500, Ct);
            spans = await dashboard.GetTelemetryAsync("spans", Ct);
            logs = await dashboard.GetTelemetryAsync("logs", Ct);
        }

        var output = await pod.OutputAsync(Ct);
        Assert.True(spans.Contains("GET /", StringComparison.Ordinal), $"no span of GET / within 60 s: {spans[..Math.Min(spans.Length, 500)]}\napp:\n{output}\ndashboard:\n{dashboard.Output}");
        Assert.Contains("\"service.name\"", spans, StringComparison.Ordinal);
        Assert.Contains(workload.Name, spans, StringComparison.Ordinal);
        Assert.Contains(PodName, spans, StringComparison.Ordinal);
        Assert.Contains(built.Build.Tag, spans, StringComparison.Ordinal); // service.version: the image's content tag
        Assert.Contains(PodName, logs, StringComparison.Ordinal);
        Assert.True(relay.Connections > 0, "the app's exporter connected to the relay");

        // Metrics have no telemetry API: the dashboard's Metrics page, in a real browser, lists the app's instruments.
        await dashboard.ExpectMetricAsync(workload.Name, "http.server.request.duration", _directory, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task The_gateway_is_read_from_the_real_docker_network_and_a_missing_network_gives_none()
    {
        await using var env = new DockerTestEnvironment(); // removes the labelled network at the end
        var network = env.Name + "-kind";
        var runner = new ProcessRunner();
        await runner.RunCheckedAsync(new ProcessSpec("docker", ["network", "create", "--label", env.LabelFilter, network]), ResourceLog.None, Ct);
        var inspected = await runner.RunCheckedAsync(new ProcessSpec("docker", ["network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}} {{end}}", network]), ResourceLog.None, Ct);
        var gateway = IPAddress.Parse(string.Join(' ', inspected.StandardOutput).Split(' ', StringSplitOptions.RemoveEmptyEntries).First(a => !a.Contains(':', StringComparison.Ordinal)));

        using var docker = new Docker.DotNet.DockerClientBuilder().WithEndpoint(DockerEndpointResolver.Resolve().Uri).Build();
        Assert.Equal(gateway, await KindNetworkGateway.FindAsync(docker, network, Ct));
        Assert.Null(await KindNetworkGateway.FindAsync(docker, network + "-missing", Ct));
    }

    [Fact]
    public async Task The_default_bridge_without_a_listed_gateway_gives_the_address_docker_gave_the_host()
    {
        var runner = new ProcessRunner();
        var listed = await runner.RunCheckedAsync(new ProcessSpec("docker", ["network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", "bridge"]), ResourceLog.None, Ct);
        // The host's own address on the bridge: the one the kernel has on the bridge's interface.
        var bridgeName = await runner.RunCheckedAsync(new ProcessSpec("docker", ["network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.name\"}}", "bridge"]), ResourceLog.None, Ct);
        var addresses = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Single(i => i.Name == string.Join("", bridgeName.StandardOutput).Trim())
            .GetIPProperties().UnicastAddresses.Select(a => a.Address).Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);

        using var docker = new Docker.DotNet.DockerClientBuilder().WithEndpoint(DockerEndpointResolver.Resolve().Uri).Build();
        var found = await KindNetworkGateway.FindAsync(docker, "bridge", Ct);
        Assert.NotNull(found);
        Assert.Contains(found, addresses);
        TestContext.Current.SendDiagnosticMessage($"bridge gateway listed: '{string.Join("", listed.StandardOutput).Trim()}', found {found}");
    }

    // valueFrom fieldRef metadata.name and secretKeyRef resolved, $(VAR) expanded from the variables before it.
    private static Dictionary<string, string> KubeletEnvironment(IEnumerable<V1EnvVar> variables, V1Secret secret)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            environment[variable.Name] = variable.ValueFrom switch
            {
                null => Reference().Replace(variable.Value ?? "", m => environment.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value),
                { FieldRef.FieldPath: "metadata.name" } => PodName,
                { SecretKeyRef: { } key } when key.Name == secret.Metadata.Name => Encoding.UTF8.GetString(secret.Data[key.Key]),
                _ => throw new InvalidOperationException($"the test's kubelet does not know how to resolve {variable.Name}"),
            };
        }

        return environment;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
