using System.Net.Sockets;
using System.Text;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Telemetry;

/// <summary>
/// The runtime's counters (what dotnet-counters shows: GC, thread pool, exceptions, CPU, working set) are OTLP metrics of
/// every service, under its service name, so the dashboard's Metrics page shows them per service: the real published
/// SampleApi exports them to a real OTLP/HTTP receiver.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed class RuntimeCountersTests(PublishedApp app)
{
    private const string ServiceName = "sampleapi-counters-test";

    /// <summary>The .NET runtime's own metric names (its System.Runtime meter), one or two per counter family.</summary>
    public static readonly string[] RuntimeMetrics =
    [
        "dotnet.gc.collections", "dotnet.gc.heap.total_allocated",
        "dotnet.thread_pool.thread.count", "dotnet.thread_pool.queue.length",
        "dotnet.exceptions",
        "dotnet.process.cpu.time",
        "dotnet.process.memory.working_set",
    ];

    [Fact]
    public async Task The_runtimes_gc_thread_pool_exception_cpu_and_working_set_counters_arrive_as_metrics_under_the_service_name()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = new OtlpReceiver();
        await using var instance = AppInstance.Start(app, TimeSpan.Zero, extraEnvironment: new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = ServiceName,
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        await instance.WaitUntilReadyAsync(ct);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress };
        await client.GetStringAsync("/version", ct);
        // A request Kestrel cannot parse: it throws (and handles) a BadHttpRequestException, so the exceptions counter has a count.
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync("127.0.0.1", instance.Port, ct);
            await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes("NOT HTTP\r\n\r\n"), ct);
            _ = await socket.GetStream().ReadAsync(new byte[512], ct); // its 400 answer, whatever its length
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] Missing() => [.. RuntimeMetrics.Where(name => !receiver.Received("metrics").Any(body => OtlpPayload.Contains(body, name)))];
        while (DateTime.UtcNow < deadline && Missing().Length > 0)
        {
            await Task.Delay(200, ct);
        }

        Assert.True(Missing().Length == 0, $"runtime metrics that never arrived: {string.Join(", ", Missing())} ({receiver.Received("metrics").Count} metrics exports received)");
        Assert.All(receiver.Received("metrics").SelectMany(OtlpPayload.ResourceAttributes), r => Assert.Equal(ServiceName, r["service.name"]));
    }
}
