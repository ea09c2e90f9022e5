using System.Diagnostics;
using System.Globalization;
using System.Net;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Resources.Telemetry;
using DevEnv.Hosting.Resources.Telemetry.Receiver;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DevEnv.AppHost.Tests.Resources.Telemetry.Receiver;

/// <summary>
/// Span arrival latency at the real dashboard through each pod telemetry path, in one run (scripts/bench/telemetry-paths.sh
/// runs it; skipped otherwise, it asserts no speed): the gateway relay (the product's <see cref="OtlpRelay"/>, listening on
/// 127.0.0.1 here instead of the kind network's gateway) against the in-cluster receiver (the product's
/// <see cref="InClusterReceiver"/>: the real receiver process on the stand-in kubelet, read through the product's
/// port-forward into the dashboard). Each span is exported alone (OpenTelemetry's OTLP/HTTP exporter, simple processor)
/// the moment it ends; the clock runs from its end until the dashboard's telemetry API returns its trace (polled every
/// 10 ms, the same for both). The two paths alternate span by span so that the machine's load falls on both alike.
/// </summary>
public sealed class TelemetryPathLatencyBenchmark : IDisposable
{
    private readonly TestResources _resources = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Span_arrival_at_the_dashboard_through_the_gateway_relay_and_through_the_in_cluster_receiver()
    {
        var report = Environment.GetEnvironmentVariable("DEVENV_TELEMETRY_BENCH_OUT");
        if (string.IsNullOrEmpty(report))
        {
            Assert.Skip("A benchmark: scripts/bench/telemetry-paths.sh runs it (it prints figures, it asserts no speed).");
        }

        var spans = int.Parse(Environment.GetEnvironmentVariable("DEVENV_TELEMETRY_BENCH_SPANS") ?? "100", CultureInfo.InvariantCulture);
        var executable = AspireDashboardProcess.FindExecutable();
        Assert.True(executable is not null, "the Aspire dashboard (Aspire.Dashboard.Sdk.linux-x64) is not in the NuGet cache: restore the AppHost");
        await using var dashboard = await AspireDashboardProcess.StartAsync(executable, Ct);

        // The relay: the pods post to it with the dashboard's key (from its Secret), it relays the bytes.
        await using var relay = new OtlpRelay(new IPEndPoint(IPAddress.Loopback, 0), dashboard.OtlpHttp);
        relay.Start();

        // The receiver: deployed by the product onto the stand-in kubelet, read through the port-forward.
        var settings = _resources.Settings;
        await using var kubelet = new ReceiverKubelet(settings.WorkloadNamespace, ReceiverManifests.Selector(settings));
        var receiver = new InClusterReceiver($"{_resources.Name}-telemetry-receiver", settings, new DashboardOtlpTarget(dashboard.OtlpHttp, "http/protobuf", dashboard.ApiKey),
            kubelet, kubelet.Pods, _ => Task.FromResult<string?>(null), (_, _) => Task.FromResult("localhost:5001/devenv-telemetry-receiver:bench"));
        var context = _resources.Context(receiver);
        await receiver.StartAsync(context, Ct);
        try
        {
            var viaRelay = Sender("bench-relay", $"http://127.0.0.1:{relay.Endpoint.Port}", $"x-otlp-api-key={dashboard.ApiKey}");
            var viaReceiver = Sender("bench-receiver", $"http://127.0.0.1:{kubelet.IngestPort}", kubelet.SecretValue(ReceiverManifests.Name, ReceiverManifests.HeadersKey));
            using var relayProvider = viaRelay.Provider;
            using var relaySource = viaRelay.Source;
            using var receiverProvider = viaReceiver.Provider;
            using var receiverSource = viaReceiver.Source;
            using var api = new HttpClient { BaseAddress = dashboard.Frontend, Timeout = TimeSpan.FromSeconds(5) };
            var (relayTimes, receiverTimes) = (new List<double>(), new List<double>());
            // A warm-up span on each path (connections, JIT), not counted.
            for (var i = -1; i < spans; i++)
            {
                foreach (var (sender, times) in new[] { (viaRelay, relayTimes), (viaReceiver, receiverTimes) })
                {
                    var elapsed = await ArrivalAsync(sender, api);
                    if (i >= 0)
                    {
                        times.Add(elapsed.TotalMilliseconds);
                    }
                }
            }

            var (relayP50, relayP90) = (Percentile(relayTimes, 50), Percentile(relayTimes, 90));
            var (receiverP50, receiverP90) = (Percentile(receiverTimes, 50), Percentile(receiverTimes, 90));
            var table = string.Create(CultureInfo.InvariantCulture, $"""
                | path ({spans} spans each, alternating) | p50 | p90 | max |
                |---|---|---|---|
                | gateway relay (OtlpRelay on 127.0.0.1, one TCP hop) | {relayP50:0.0} ms | {relayP90:0.0} ms | {relayTimes.Max():0.0} ms |
                | in-cluster receiver (real receiver process, read through the port-forward) | {receiverP50:0.0} ms | {receiverP90:0.0} ms | {receiverTimes.Max():0.0} ms |
                | receiver / relay | {receiverP50 / relayP50:0.00}x | {receiverP90 / relayP90:0.00}x | |

                """);
            await File.WriteAllTextAsync(report, table, Ct);
        }
        finally
        {
            await receiver.StopAsync(context, Ct);
        }
    }

    // Ends one span of a new trace (the simple processor posts it before Stop returns) and waits until the dashboard has it.
    private static async Task<TimeSpan> ArrivalAsync((TracerProvider Provider, ActivitySource Source) sender, HttpClient api)
    {
        using var activity = sender.Source.StartActivity("bench span", ActivityKind.Server);
        Assert.True(activity is not null, "the span was not sampled");
        var traceId = activity.TraceId.ToHexString();
        var clock = Stopwatch.StartNew();
        activity.Stop();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await api.GetAsync($"/api/telemetry/traces/{traceId}", Ct);
            if (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync(Ct)).Contains(traceId, StringComparison.Ordinal))
            {
                return clock.Elapsed;
            }

            await Task.Delay(10, Ct);
        }

        Assert.Fail($"span of trace {traceId} ({sender.Source.Name}) did not reach the dashboard within 30 s");
        return default;
    }

    private static (TracerProvider Provider, ActivitySource Source) Sender(string service, string endpoint, string headers)
    {
        var source = new ActivitySource(service);
        var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(service))
            .AddSource(service)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(endpoint + "/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Headers = headers;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();
        return (provider, source);
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public void Dispose() => _resources.Dispose();
}
