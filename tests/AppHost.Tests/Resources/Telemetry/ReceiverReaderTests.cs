using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DevEnv.Hosting.Resources.Telemetry;
using DevEnv.TelemetryReceiver.Protocol;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// The in-cluster path without a cluster: the real receiver process (its built output), a real SampleApi process given
/// only the receiver's address and token (never the dashboard's address or key), the product's reader reaching the
/// receiver's read port on loopback (where a cluster runs: through the API server's port-forward), the real dashboard.
/// </summary>
public sealed class ReceiverReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_span_a_metric_and_a_log_of_a_sampleapi_that_reaches_only_the_receiver_arrive_in_the_dashboard_within_5_s_and_no_token_is_refused()
    {
        var executable = AspireDashboardProcess.FindExecutable();
        Assert.True(executable is not null, "the Aspire dashboard (Aspire.Dashboard.Sdk.linux-x64) is not in the NuGet cache: restore the AppHost");
        var sampleApi = Path.Combine(RepositoryRoot(), "SampleApi", "bin", "Release", "net10.0", "linux-x64", "SampleApi.dll");
        Assert.True(File.Exists(sampleApi), $"{sampleApi} is missing: dotnet build SampleApi -c Release");
        await using var dashboard = await AspireDashboardProcess.StartAsync(executable, Ct);
        var (ingest, read) = (FreePort.Next(), FreePort.Next());
        await using var receiver = await StartReceiverAsync(ingest, read, "ingest-token", "read-token", bufferBytes: null);
        using var http = new HttpClient();

        // Without the token (and with a wrong one) the receiver refuses, on both ports.
        using (var refused = await http.PostAsync($"http://127.0.0.1:{ingest}/v1/traces", new ByteArrayContent([]) { Headers = { ContentType = new("application/x-protobuf") } }, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var wrong = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{read}{ReceiverProtocol.ReadPath}") { Headers = { { ReceiverProtocol.TokenHeader, "ingest-token" } } })
        using (var refusedRead = await http.SendAsync(wrong, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refusedRead.StatusCode);
        }

        var (app, appUrl) = await OtlpSampleApiProcess.StartAsync(sampleApi, $"http://127.0.0.1:{ingest}", "http/protobuf", $"{ReceiverProtocol.TokenHeader}=ingest-token", Ct);
        await using var _ = app;

        var target = new DashboardOtlpTarget(dashboard.OtlpHttp, "http/protobuf", dashboard.ApiKey);
        var reader = new ReceiverReader(_ => Task.FromResult(new Uri($"http://127.0.0.1:{read}")), "read-token", target, http);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = reader.RunAsync(stop.Token);
        var clock = Stopwatch.StartNew();
        Assert.Equal("Hello, World!", await http.GetStringAsync(appUrl, Ct));
        string spans = "", logs = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(5)
            && !(spans.Contains("GET /", StringComparison.Ordinal) && logs.Contains("sampleapi", StringComparison.Ordinal) && reader.Delivered(TelemetrySignal.Metrics) > 0))
        {
            await Task.Delay(200, Ct);
            spans = await dashboard.GetTelemetryAsync("spans", Ct);
            logs = await dashboard.GetTelemetryAsync("logs", Ct);
        }

        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(spans.Contains("GET /", StringComparison.Ordinal), $"no span of GET / within 5 s ({reader.Problem}): {spans[..Math.Min(spans.Length, 300)]}\nreceiver:\n{receiver.Output}\napp:\n{app.Output}");
        Assert.Contains("sampleapi", logs, StringComparison.Ordinal);
        Assert.True(reader.Delivered(TelemetrySignal.Metrics) > 0, $"no metrics request reached the dashboard within 5 s ({reader.Problem})");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        Assert.True(reader.Counters is { RefusedRequests: 2, DroppedRequests: 0 }, $"counters: {reader.Counters}");
    }

    [Fact]
    public async Task The_buffer_keeps_what_arrives_while_no_reader_reads_and_reports_what_it_dropped_beyond_its_bound()
    {
        var (ingest, read) = (FreePort.Next(), FreePort.Next());
        await using var receiver = await StartReceiverAsync(ingest, read, "ingest-token", "read-token", bufferBytes: 1000);
        using var http = new HttpClient();
        for (var i = 0; i < 5; i++)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{ingest}/v1/logs")
            {
                Content = new ByteArrayContent(new byte[400]) { Headers = { ContentType = new("application/x-protobuf") } },
                Headers = { { ReceiverProtocol.TokenHeader, "ingest-token" } },
            };
            using var accepted = await http.SendAsync(post, Ct);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var status = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{read}{ReceiverProtocol.StatusPath}") { Headers = { { ReceiverProtocol.TokenHeader, "read-token" } } };
        using var answer = await http.SendAsync(status, Ct);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct));
        Assert.Equal(2, json.RootElement.GetProperty("bufferedRequests").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("droppedRequests").GetInt64());
        Assert.Equal(1200, json.RootElement.GetProperty("droppedBytes").GetInt64());
    }

    private static async Task<ChildProcess> StartReceiverAsync(int ingest, int read, string ingestToken, string readToken, long? bufferBytes)
    {
        var dll = Path.Combine(RepositoryRoot(), "AppHost", "DevEnv.TelemetryReceiver", "bin", "Release", "net10.0", "linux-x64", "DevEnv.TelemetryReceiver.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: dotnet build AppHost/DevEnv.TelemetryReceiver -c Release");
        var environment = new Dictionary<string, string>
        {
            [ReceiverProtocol.IngestTokenVariable] = ingestToken,
            [ReceiverProtocol.ReadTokenVariable] = readToken,
            [ReceiverProtocol.IngestPortVariable] = ingest.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ReceiverProtocol.ReadPortVariable] = read.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (bufferBytes is { } bound)
        {
            environment[ReceiverProtocol.BufferBytesVariable] = bound.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var process = ChildProcess.Start("dotnet", environment, [dll], Path.GetDirectoryName(dll));
        await process.WaitForHttpAsync(new Uri($"http://127.0.0.1:{read}{ReceiverProtocol.HealthPath}"), TimeSpan.FromSeconds(30), Ct);
        return process;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DevEnv.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DevEnv.sln not found above the test's output");
    }
}
