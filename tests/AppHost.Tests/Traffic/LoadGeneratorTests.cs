using DevEnv.Hosting.Traffic;

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
        // The report says the client, not the server, held those requests: they queued for the one connection.
        var g = report.Generator;
        Assert.True(g.PeakInFlight > 10 && g.AtConnectionCap > 10, $"peak {g.PeakInFlight}, at cap {g.AtConnectionCap}");
        Assert.True(g.MaxConnectionWaitMs > 2_000, $"max connection wait {g.MaxConnectionWaitMs} ms");
        Assert.Contains(g.Warnings, w => w.Contains("hit its connection cap (1)", StringComparison.Ordinal));
        Assert.Contains("warning: the generator hit its connection cap (1)", ReportTable.Render([("run", report)]));
    }

    [Fact]
    public async Task Warm_up_requests_go_before_the_first_scheduled_one_and_are_reported_apart()
    {
        await using var server = new MisbehavingServer(Misbehaviour.Answer);
        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 50, Duration = TimeSpan.FromSeconds(0.4), Paths = ["/", "/other"],
        }, Ct);

        Assert.Equal(20, report.Requests);
        Assert.Equal(new LoadOptions { Target = server.Address }.WarmUpRequests, report.WarmUp!.Requests);
        Assert.Equal(0, report.WarmUp.Failed);
        Assert.Equal(server.Received, report.Requests + report.WarmUp.Requests);
        Assert.Contains("generator: warm-up 10 requests (0 failed)", ReportTable.Render([("run", report)]));
    }

    [Fact]
    public async Task Below_a_millisecond_between_requests_the_scheduler_sleeps_instead_of_spinning()
    {
        await using var server = new MisbehavingServer(Misbehaviour.Answer);
        var run = await new LoadGenerator().StartAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 2_000, Duration = TimeSpan.FromSeconds(1), Paths = ["/"],
        }, Ct);
        LoadReport report;
        await using (run)
        {
            report = await run.WaitAsync();
        }

        Assert.Equal(2_000, report.Requests);
        Assert.Equal(0, report.Failed);
        // 0.5 ms between requests: a sleep of at least 1 ms per wake-up gives at most ~1,000 wake-ups in the second.
        Assert.InRange(run.SchedulerWakeUps, 1, 1_100);
        Assert.True(report.Generator.WorstSchedulerLagMs > 0);
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
        Assert.Equal(50 + fresh.WarmUp!.Requests, server.Connections.Count);
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
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new LoadGenerator().StartAsync(options, Ct); });
        Assert.Throws<ArgumentException>(() => (options with { RatePerSecond = 1, Paths = [] }).Validate());
    }
}
