using System.Net;
using System.Net.Sockets;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Telemetry;

/// <summary>
/// OpenTelemetry as Aspire's service defaults do it: with OTEL_EXPORTER_OTLP_ENDPOINT set, traces, metrics and logs
/// reach an OTLP/HTTP receiver under the configured service name, without probe traffic; without it, nothing is sent.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed class OtlpExportTests(PublishedApp app)
{
    private const string ServiceName = "sampleapi-otlp-test";

    private static Dictionary<string, string> Otel(string? endpoint)
    {
        var env = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = ServiceName,
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        };
        if (endpoint is not null)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
        }

        return env;
    }

    [Fact]
    public async Task WithEndpoint_TracesMetricsAndLogsArrive_UnderTheServiceName_WithoutProbeTraffic_UpToTheExitLine()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = new OtlpReceiver();
        await using var instance = AppInstance.Start(app, TimeSpan.Zero, extraEnvironment: Otel(receiver.Endpoint));
        await instance.WaitUntilReadyAsync(ct);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress };
        using var management = new HttpClient { BaseAddress = instance.ManagementAddress };
        for (var i = 0; i < 3; i++)
        {
            await client.GetStringAsync("/version", ct);
            await management.GetStringAsync("/healthz/ready", ct);
        }

        // Wait for what is asserted below, not just for a first batch of each: "Serving on" is logged just after
        // the probes answer, so the first logs batch can come before it (CI saw that once).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline
               && !(receiver.Received("metrics").Count > 0
                    && receiver.Received("traces").Any(t => OtlpPayload.Contains(t, "/version"))
                    && receiver.Received("logs").Any(l => OtlpPayload.Contains(l, "Serving on"))))
        {
            await Task.Delay(200, ct);
        }

        instance.Terminate();
        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));
        var seen = string.Join(", ", receiver.AllRequests);
        foreach (var signal in new[] { "traces", "metrics", "logs" })
        {
            var bodies = receiver.Received(signal);
            Assert.True(bodies.Count > 0, $"no {signal} arrived (received: {seen})\n{instance.Output()}");
            Assert.All(bodies.SelectMany(OtlpPayload.ResourceAttributes), r => Assert.Equal(ServiceName, r["service.name"]));
        }

        var traces = receiver.Received("traces");
        Assert.Contains(traces, t => OtlpPayload.Contains(t, "/version"));
        Assert.DoesNotContain(traces, t => OtlpPayload.Contains(t, "/healthz"));
        Assert.Contains(receiver.Received("logs"), l => OtlpPayload.Contains(l, "Serving on"));
        // Disposing the host flushes the exporters: the exit line, logged after SIGTERM, still arrives.
        Assert.Contains(receiver.Received("logs"), l => OtlpPayload.Contains(l, "Process exiting"));
        Assert.DoesNotContain(receiver.AllRequests, r => !r.StartsWith("POST /v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutEndpoint_NothingIsExported_NotEvenToTheDefaultEndpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        // The OTLP/HTTP default endpoint is localhost:4318: listen there, so a stray exporter would be seen.
        OtlpReceiver receiver;
        try
        {
            receiver = new OtlpReceiver(4318);
        }
        catch (HttpListenerException ex)
        {
            Assert.Skip($"127.0.0.1:4318 (the OTLP/HTTP default) is taken on this machine ({ex.Message}); cannot watch for stray exports");
            return;
        }
        catch (SocketException ex)
        {
            Assert.Skip($"127.0.0.1:4318 (the OTLP/HTTP default) is taken on this machine ({ex.Message}); cannot watch for stray exports");
            return;
        }

        await using (receiver)
        {
            await using var instance = AppInstance.Start(app, TimeSpan.Zero, extraEnvironment: Otel(endpoint: null));
            await instance.WaitUntilReadyAsync(ct);
            using var client = new HttpClient { BaseAddress = instance.BaseAddress };
            await client.GetStringAsync("/version", ct);
            await Task.Delay(2000, ct); // several export intervals
            instance.Terminate();
            Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));

            Assert.Empty(receiver.AllRequests);
        }
    }
}
