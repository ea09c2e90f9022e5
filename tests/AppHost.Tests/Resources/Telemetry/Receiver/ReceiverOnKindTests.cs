using System.Diagnostics;
using System.Globalization;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Cluster;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.PortForward;
using DevEnv.Hosting.Resources.Telemetry.Receiver;

namespace DevEnv.AppHost.Tests.Resources.Telemetry.Receiver;

/// <summary>
/// The two live-cluster halves of issue 25, on a real kind cluster made by the real AppHost: (1) with
/// DEVENV_TELEMETRY_PATH=receiver the AppHost deploys the receiver, the SampleApi pods send to its Service, and a span,
/// a structured log and a metric reach the real dashboard (its telemetry API) within 5 s of a request; (2) the product's
/// managed port-forward, through the real API server's pods/portforward, keeps answering with no failed request while
/// the Deployment rolls out. Needs kind, Docker and the kind node image; where those are missing (the project's
/// machines cannot obtain the node image) each skips and says which.
/// </summary>
public sealed class ReceiverOnKindTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_receiver_path_a_span_a_log_and_a_metric_of_a_pod_reach_the_real_dashboard_within_5_s()
    {
        await SkipWithoutKindAsync();
        var executable = AspireDashboardProcess.FindExecutable();
        Assert.True(executable is not null, "the Aspire dashboard (Aspire.Dashboard.Sdk.linux-x64) is not in the NuGet cache: restore the AppHost");
        await using var dashboard = await AspireDashboardProcess.StartAsync(executable, Ct);
        var (environment, settings) = Environment(new()
        {
            ["DEVENV_TELEMETRY_PATH"] = "receiver",
            // The AppHost reads the receiver into this dashboard, with its key, as it would into the one it starts.
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = dashboard.OtlpHttp.ToString().TrimEnd('/'),
            ["AppHost__OtlpApiKey"] = dashboard.ApiKey,
        });
        var runner = new ProcessRunner();
        await using var docker = new DockerTestEnvironment(settings.Name);
        using var up = AppHostProcess.Start(["up", "--no-dashboard", "--no-watch"], environment);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var url = new Uri($"http://localhost:{settings.NodePort}/");
            await WaitUntilAsync(async () => await TryGetAsync(http, url) is not null, UpTimeout, () => "sampleapi did not answer on its NodePort:\n" + up.Tail());
            await Kubectl(runner, settings, "rollout", "status", $"deployment/{ReceiverManifests.Name}", "--timeout=300s");

            // The pods know only the receiver's Service and the header from its Secret; no host address.
            var endpoint = await Kubectl(runner, settings, "get", "deployment", "sampleapi", "-o", "jsonpath={.spec.template.spec.containers[0].env[?(@.name=='OTEL_EXPORTER_OTLP_ENDPOINT')].value}");
            Assert.Equal(ReceiverManifests.PodSettings(settings).Endpoint, endpoint.Trim());
            // Until the AppHost's reading of the receiver delivers (the pods' start-up telemetry lists the resource).
            await WaitUntilAsync(async () => (await dashboard.GetTelemetryAsync("resources", Ct)).Contains("sampleapi", StringComparison.Ordinal),
                TimeSpan.FromMinutes(2), () => "no telemetry of sampleapi reached the dashboard:\n" + up.Tail());

            // A request of our own trace: its span, by trace id, and a log, within 5 s.
            var traceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            var clock = Stopwatch.StartNew();
            using (var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "traceparent", $"00-{traceId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01" } } })
            using (var response = await http.SendAsync(request, Ct))
            {
                response.EnsureSuccessStatusCode();
            }

            await WaitUntilAsync(async () => (await dashboard.GetTelemetryAsync("spans", Ct)).Contains(traceId, StringComparison.Ordinal)
                                           && (await dashboard.GetTelemetryAsync("logs", Ct)).Contains("sampleapi", StringComparison.Ordinal),
                TimeSpan.FromSeconds(5), () => $"the span of trace {traceId} or a log did not reach the dashboard within 5 s:\n" + up.Tail());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
            await dashboard.ExpectMetricAsync("sampleapi", "http.server.request.duration", settings.ResolvedStateDirectory, TimeSpan.FromSeconds(5));
        }
        finally
        {
            up.Dispose();
            await DownAsync(runner, environment, settings);
        }
    }

    [Fact]
    public async Task The_managed_port_forward_keeps_answering_through_a_rollout_of_the_live_deployment_with_no_failed_request()
    {
        await SkipWithoutKindAsync();
        var (environment, settings) = Environment(new() { ["DEVENV_REPLICAS"] = "2" });
        var runner = new ProcessRunner();
        await using var docker = new DockerTestEnvironment(settings.Name);
        try
        {
            var up = await runner.RunAsync(AppHostProcess.Spec(["up", "--detach"], environment), ResourceLog.None, Ct);
            Assert.True(up.ExitCode == 0, "up --detach failed:\n" + up.Output + "\n" + up.Error);

            var kubernetes = new KubernetesClient(settings.KubeconfigPath, settings.KubeContext, settings.WorkloadNamespace);
            var deployment = new DeploymentResource(DeploymentResource.SampleApiName, settings, kubernetes, () => null, () => null);
            await using var forward = new ManagedPortForward(kubernetes, settings.WorkloadNamespace, deployment.Selector, deployment.ContainerPort, FreePort.Next());
            await forward.StartAsync(Ct);
            var before = forward.CurrentPod;
            Assert.NotNull(before);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var failures = new List<string>();
            long answered = 0;
            var load = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await http.GetStringAsync(forward.Url, stop.Token);
                        Interlocked.Increment(ref answered);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (HttpRequestException ex)
                    {
                        lock (failures) { failures.Add(ex.Message); }
                    }

                    await Task.Delay(20, CancellationToken.None);
                }
            }, CancellationToken.None);

            await Kubectl(runner, settings, "rollout", "restart", "deployment/sampleapi");
            await Kubectl(runner, settings, "rollout", "status", "deployment/sampleapi", "--timeout=300s");
            // The old pods are gone: the forward has moved to a new one and keeps answering there.
            await WaitUntilAsync(() => Task.FromResult(forward.CurrentPod != before), TimeSpan.FromMinutes(2), () => $"the forward stayed on {before}");
            var movedAt = Interlocked.Read(ref answered);
            await WaitUntilAsync(() => Task.FromResult(Interlocked.Read(ref answered) >= movedAt + 20), TimeSpan.FromSeconds(30), () => "no answers after the move");
            await stop.CancelAsync();
            await load.WaitAsync(TimeSpan.FromSeconds(15), Ct);

            lock (failures)
            {
                Assert.True(failures.Count == 0, $"{failures.Count} of {answered + failures.Count} requests failed: {string.Join("; ", failures.Distinct().Take(5))}");
            }

            Assert.Equal(0, forward.Counts.Failed);
        }
        finally
        {
            await DownAsync(runner, environment, settings);
        }
    }

    private static async Task SkipWithoutKindAsync()
    {
        if (await KindAvailability.WhyUnavailableAsync(new EnvironmentSettings().NodeImage, Ct) is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    // An environment of its own: name, state folder, free registry, dashboard and node ports.
    private static (Dictionary<string, string?> Environment, EnvironmentSettings Settings) Environment(Dictionary<string, string?> extra)
    {
        var environment = new Dictionary<string, string?>(extra)
        {
            ["DEVENV_NAME"] = "t" + Guid.NewGuid().ToString("N")[..8],
            ["DEVENV_STATE_DIR"] = Directory.CreateTempSubdirectory("devenv-receiver-kind-").FullName,
            ["DEVENV_REGISTRY_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["DEVENV_NODE_PORT"] = ClusterEndToEndTests.FreeNodePort().ToString(CultureInfo.InvariantCulture),
            ["DEVENV_DASHBOARD_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        };
        return (environment, EnvironmentSettings.FromEnvironment(environment.GetValueOrDefault));
    }

    private static async Task<string> Kubectl(ProcessRunner runner, EnvironmentSettings settings, params string[] arguments) =>
        (await runner.RunCheckedAsync(new ProcessSpec("kubectl", ["--kubeconfig", settings.KubeconfigPath, "--context", settings.KubeContext, "-n", settings.WorkloadNamespace, .. arguments]),
            ResourceLog.None, Ct)).Output;

    private static async Task<string?> TryGetAsync(HttpClient http, Uri url)
    {
        try
        {
            return await http.GetStringAsync(url, Ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"{failure()} (waited {timeout})");
            await Task.Delay(100, Ct);
        }
    }

    // Also when the test failed halfway: down --purge, then the cluster by its name.
    private static async Task DownAsync(ProcessRunner runner, Dictionary<string, string?> environment, EnvironmentSettings settings)
    {
        await runner.RunAsync(AppHostProcess.Spec(["down", "--purge"], environment), ResourceLog.None, CancellationToken.None);
        await runner.RunAsync(new ProcessSpec("kind", ["delete", "cluster", "--name", settings.Name, "--kubeconfig", settings.KubeconfigPath]), ResourceLog.None, CancellationToken.None);
        Directory.Delete(settings.ResolvedStateDirectory, recursive: true);
    }
}
