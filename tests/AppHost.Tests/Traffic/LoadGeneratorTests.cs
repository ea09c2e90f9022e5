using System.Net;
using System.Net.Sockets;
using DevEnv.AppHost.Traffic;

namespace DevEnv.AppHost.Tests.Traffic;

public sealed class LoadGeneratorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sends_the_configured_rate_for_the_duration_and_all_succeed()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 200, Duration = TimeSpan.FromSeconds(2), Paths = ["/", "/work?ms=50"],
        }, Ct);

        Assert.Equal(400, report.Requests);
        Assert.Equal(0, report.Failed);
        Assert.Equal(2, report.Timeline.Count);
        Assert.All(report.Timeline, s => Assert.Equal(200, s.Sent));
        Assert.True(report.LatencyByPath["/work?ms=50"].MinMs >= 45, report.ToJson());
        Assert.True(report.Latency.MinMs > 0 && report.Latency.MaxMs >= report.Latency.P99Ms && report.Latency.P99Ms >= report.Latency.P50Ms);
    }

    [Fact]
    public async Task A_stall_shows_as_latency_from_the_scheduled_time()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        // One connection, 200 ms per request, 20 requests due within 1 s: a closed-loop tool would just send
        // slower; open-loop, the last request waits about 3 s behind the others and its latency says so.
        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 20, Duration = TimeSpan.FromSeconds(1), MaxConnections = 1, Paths = ["/work?ms=200"],
        }, Ct);

        Assert.Equal(20, report.Requests);
        Assert.Equal(0, report.Failed);
        Assert.True(report.Latency.MaxMs > 2_000, $"max {report.Latency.MaxMs} ms");
    }

    [Fact]
    public async Task Keep_alive_reuses_connections_and_new_connection_mode_does_not()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        var options = new LoadOptions { Target = server.Address, RatePerSecond = 50, Duration = TimeSpan.FromSeconds(1), Paths = ["/"] };

        var keepAlive = await new LoadGenerator().RunAsync(options, Ct);
        var reused = server.Connections.Count;
        server.Connections.Clear();
        var fresh = await new LoadGenerator().RunAsync(options with { KeepAlive = false }, Ct);

        Assert.Equal(0, keepAlive.Failed + fresh.Failed);
        Assert.True(reused < 10, $"{reused} connections for 50 keep-alive requests");
        Assert.Equal(50, server.Connections.Count);
    }

    [Fact]
    public async Task A_closed_port_counts_as_refused()
    {
        // Bind and release a port: nothing listens there afterwards.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = new Uri($"http://127.0.0.1:{port}/"), RatePerSecond = 20, Duration = TimeSpan.FromSeconds(0.5),
        }, Ct);

        Assert.Equal(10, report.Requests);
        Assert.Equal(10, report.Failures[FailureKind.Refused]);
    }

    [Fact]
    public async Task A_reset_connection_counts_as_reset()
    {
        await using var server = new RawTcpServer(reset: true);
        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 20, Duration = TimeSpan.FromSeconds(0.5), Paths = ["/"],
        }, Ct);

        Assert.Equal(10, report.Requests);
        Assert.Equal(10, report.Failures[FailureKind.Reset]);
    }

    [Fact]
    public async Task No_answer_counts_as_timeout()
    {
        await using var server = new RawTcpServer(reset: false);
        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 10, Duration = TimeSpan.FromSeconds(0.5), RequestTimeout = TimeSpan.FromMilliseconds(500), Paths = ["/"],
        }, Ct);

        Assert.Equal(5, report.Requests);
        Assert.Equal(5, report.Failures[FailureKind.Timeout]);
    }

    [Fact]
    public async Task Status_5xx_counts_as_server_error_and_4xx_as_other()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 20, Duration = TimeSpan.FromSeconds(1), Paths = ["/status/503", "/status/404", "/"],
        }, Ct);

        Assert.Equal(20, report.Requests);
        Assert.Equal(7, report.Failures[FailureKind.ServerError]);
        Assert.Equal(7, report.Failures[FailureKind.Other]);
        Assert.Equal(6, report.Succeeded);
    }

    [Fact]
    public void Options_out_of_range_are_rejected()
    {
        var options = new LoadOptions { Target = new Uri("http://127.0.0.1:1/"), RatePerSecond = 0 };
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoadGenerator().Start(options, Ct));
        Assert.Throws<ArgumentException>(() => (options with { RatePerSecond = 1, Paths = [] }).Validate());
    }
}
