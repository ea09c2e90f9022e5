using System.Diagnostics;
using System.Net;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Telemetry;
using DevEnv.Hosting.Resources.Telemetry.Receiver;
using DevEnv.TelemetryReceiver.Protocol;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.Telemetry.Receiver;

/// <summary>
/// The product's in-cluster path without a cluster: <see cref="InClusterReceiver"/> as the AppHost runs it (tokens, Secret,
/// Deployment, Service, then the port-forward and the reader), against a stand-in API server whose kubelet runs the real
/// receiver process from the applied objects; a real SampleApi process given only the receiver's address and the header
/// line from the applied Secret (never the dashboard's address or key); the real Aspire dashboard.
/// </summary>
public sealed class InClusterReceiverTests : IDisposable
{
    private const string Image = "localhost:5001/devenv-telemetry-receiver:3f2a9c1e7b44";
    private readonly TestResources _resources = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_span_a_metric_and_a_log_of_a_sampleapi_that_reaches_only_the_receiver_arrive_through_the_port_forward_within_5_s()
    {
        var executable = AspireDashboardProcess.FindExecutable();
        Assert.True(executable is not null, "the Aspire dashboard (Aspire.Dashboard.Sdk.linux-x64) is not in the NuGet cache: restore the AppHost");
        await using var dashboard = await AspireDashboardProcess.StartAsync(executable, Ct);
        var settings = _resources.Settings;
        await using var kubelet = new ReceiverKubelet(settings.WorkloadNamespace, ReceiverManifests.Selector(settings));
        var receiver = Receiver(kubelet, new DashboardOtlpTarget(dashboard.OtlpHttp, "http/protobuf", dashboard.ApiKey));
        var context = _resources.Context(receiver);

        await receiver.StartAsync(context, Ct);
        try
        {
            // The Secret goes first (the deployments read their header from it); the pods learn the Service's name.
            Assert.Equal(["Secret", "Deployment", "Service"], kubelet.Applied.Select(o => o.Kind));
            Assert.Equal(ReceiverManifests.PodSettings(settings), await receiver.Settled.WaitAsync(TimeSpan.FromSeconds(1), Ct));
            Assert.Equal(ResourceStates.Running, context.Current.State);
            var tokens = await ReceiverTokens.LoadOrCreateAsync(settings.ResolvedStateDirectory, Ct);
            Assert.DoesNotContain(_resources.Logs.GetBacklog(receiver.Name), l => l.Text.Contains(tokens.Ingest, StringComparison.Ordinal) || l.Text.Contains(tokens.Read, StringComparison.Ordinal));

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            // A request without the token, and one with the read token on the ingest port, are refused.
            using (var refused = await http.PostAsync($"http://127.0.0.1:{kubelet.IngestPort}/v1/traces", Protobuf([]), Ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            using (var wrong = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{kubelet.IngestPort}/v1/logs") { Content = Protobuf([]), Headers = { { ReceiverProtocol.TokenHeader, tokens.Read } } })
            using (var refusedRead = await http.SendAsync(wrong, Ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refusedRead.StatusCode);
            }

            // The pod's environment as the kubelet makes it from the applied Deployment: the receiver's address (the
            // Service's name stands for 127.0.0.1:<its port> here) and the header line from the Secret.
            var (app, appUrl) = await OtlpSampleApiProcess.StartAsync(SampleApiDll(), $"http://127.0.0.1:{kubelet.IngestPort}",
                receiver.Current!.Protocol, kubelet.SecretValue(receiver.Current.SecretName, receiver.Current.SecretKey), Ct);
            await using var _ = app;

            var link = Assert.IsType<ReceiverLink>(receiver.Link);
            var clock = Stopwatch.StartNew();
            Assert.Equal("Hello, World!", await http.GetStringAsync(appUrl, Ct));
            string spans = "", logs = "";
            while (clock.Elapsed < TimeSpan.FromSeconds(5)
                && !(spans.Contains("GET /", StringComparison.Ordinal) && logs.Contains("sampleapi", StringComparison.Ordinal) && link.Reader.Delivered(TelemetrySignal.Metrics) > 0))
            {
                await Task.Delay(200, Ct);
                spans = await dashboard.GetTelemetryAsync("spans", Ct);
                logs = await dashboard.GetTelemetryAsync("logs", Ct);
            }

            var elapsed = clock.Elapsed;
            Assert.True(spans.Contains("GET /", StringComparison.Ordinal), $"no span of GET / within 5 s ({link.Reader.Problem}): {spans[..Math.Min(spans.Length, 300)]}\nreceiver:\n{kubelet.Output}\napp:\n{app.Output}");
            Assert.Contains("sampleapi", logs, StringComparison.Ordinal);
            Assert.True(link.Reader.Delivered(TelemetrySignal.Metrics) > 0, $"no metrics request reached the dashboard within 5 s ({link.Reader.Problem})");
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
            Assert.True(kubelet.Pods.Opened.Values.Sum() > 0, "the reader did not go through the port-forward");
            await dashboard.ExpectMetricAsync("sampleapi", "http.server.request.duration", _resources.StateDirectory, TimeSpan.FromSeconds(30));

            // The counters on the resource: what came in, what the dashboard took, nothing dropped, the two refusals.
            var shown = await WaitForPropertyAsync(receiver, "delivered", null, kubelet);
            Assert.True(long.Parse(shown.Properties["received"]) > 0);
            Assert.Equal(("0", "2"), (shown.Properties["dropped"], shown.Properties["refused"]));
        }
        finally
        {
            await receiver.StopAsync(context, Ct);
        }
    }

    [Fact]
    public async Task What_arrives_while_the_apphost_is_away_waits_in_the_receiver_and_what_its_bound_dropped_is_shown_and_said_once()
    {
        var executable = AspireDashboardProcess.FindExecutable();
        Assert.True(executable is not null, "the Aspire dashboard (Aspire.Dashboard.Sdk.linux-x64) is not in the NuGet cache: restore the AppHost");
        await using var dashboard = await AspireDashboardProcess.StartAsync(executable, Ct);
        var settings = _resources.Settings;
        // A 1000-byte bound: five requests of 400 bytes keep the last two and drop three.
        await using var kubelet = new ReceiverKubelet(settings.WorkloadNamespace, ReceiverManifests.Selector(settings), bufferBytes: 1000);
        var receiver = Receiver(kubelet, new DashboardOtlpTarget(dashboard.OtlpHttp, "http/protobuf", dashboard.ApiKey));
        var context = _resources.Context(receiver);
        await receiver.StartAsync(context, Ct);
        await receiver.StopAsync(context, Ct); // the AppHost goes away; the receiver stays

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var header = kubelet.SecretValue(ReceiverManifests.Name, ReceiverManifests.HeadersKey).Split('=', 2);
        for (var i = 0; i < 5; i++)
        {
            // 200 empty ResourceLogs (field 1, length 0): a valid ExportLogsServiceRequest of 400 bytes the dashboard accepts.
            var body = Enumerable.Repeat<byte[]>([0x0A, 0x00], 200).SelectMany(b => b).ToArray();
            using var post = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{kubelet.IngestPort}/v1/logs") { Content = Protobuf(body), Headers = { { header[0], header[1] } } };
            using var accepted = await http.SendAsync(post, Ct);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await receiver.StartAsync(context, Ct); // the AppHost is back
        try
        {
            var shown = await WaitForPropertyAsync(receiver, "delivered", "2", kubelet);
            // Received 5, the bound dropped the oldest 3, the 2 it kept reached the dashboard (released by the next read).
            Assert.Equal(("5", "3"), (shown.Properties["received"], shown.Properties["dropped"]));
            var said = _resources.Logs.GetBacklog(receiver.Name).Where(l => l.Text.Contains("dropped 3 requests", StringComparison.Ordinal)).ToList();
            Assert.Single(said);
            Assert.Contains("beyond its bound", said[0].Text, StringComparison.Ordinal);
        }
        finally
        {
            await receiver.StopAsync(context, Ct);
        }
    }

    // Until the resource shows the property (with that value, or any but 0); fails with what it shows and the receiver's output.
    private async Task<TestSnapshot> WaitForPropertyAsync(InClusterReceiver receiver, string name, string? value, ReceiverKubelet kubelet)
    {
        try
        {
            return await _resources.Notifications.WaitForAsync(receiver.Name,
                s => s.Properties.TryGetValue(name, out var v) && (value is null ? v != "0" : v == value), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
        catch (TimeoutException)
        {
            var now = _resources.Notifications.Get(receiver.Name);
            Assert.Fail($"{receiver.Name} did not show {name}={value ?? "(not 0)"} within 10 s: {now.State} {now.Reason} "
                + string.Join(", ", now.Properties.Select(p => $"{p.Key}={p.Value}")) + $"\nreader: {receiver.Link?.Reader.Problem}\nreceiver:\n{kubelet.Output}");
            throw;
        }
    }

    private InClusterReceiver Receiver(ReceiverKubelet kubelet, DashboardOtlpTarget target) =>
        new($"{_resources.Name}-telemetry-receiver", _resources.Settings, target, kubelet, kubelet.Pods, _ => Task.FromResult<string?>(null), (_, _) => Task.FromResult(Image));

    private static ByteArrayContent Protobuf(byte[] body) => new(body) { Headers = { ContentType = new("application/x-protobuf") } };

    private static string SampleApiDll()
    {
        var dll = Path.Combine(DevEnv.Hosting.Configuration.EnvironmentSettings.FindSourceRoot(), "SampleApi", "bin", "Release", "net10.0", "linux-x64", "SampleApi.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: dotnet build SampleApi -c Release");
        return dll;
    }

    public void Dispose() => _resources.Dispose();
}
