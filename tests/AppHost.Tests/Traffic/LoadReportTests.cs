using System.Text.Json;
using DevEnv.Hosting.Traffic;

namespace DevEnv.AppHost.Tests.Traffic;

public sealed class LoadReportTests
{
    private static readonly LoadOptions Options = new() { Target = new Uri("http://127.0.0.1:1/"), RatePerSecond = 10 };

    private static RequestOutcome Ok(double scheduledS, double ms) => new(TimeSpan.FromSeconds(scheduledS), TimeSpan.FromMilliseconds(ms), 200, null, "/");

    [Fact]
    public void Stats_use_nearest_rank_percentiles_and_population_stddev()
    {
        var outcomes = Enumerable.Range(1, 100).Select(i => Ok(i / 100.0, i)).ToArray();
        var report = LoadReport.Create(Options, outcomes);

        Assert.Equal(100, report.Requests);
        Assert.Equal(1, report.Latency.MinMs);
        Assert.Equal(100, report.Latency.MaxMs);
        Assert.Equal(50.5, report.Latency.AvgMs, 6);
        Assert.Equal(50, report.Latency.P50Ms);
        Assert.Equal(90, report.Latency.P90Ms);
        Assert.Equal(99, report.Latency.P99Ms);
        Assert.Equal(Math.Sqrt((100.0 * 100 - 1) / 12), report.Latency.StdDevMs, 6);
    }

    [Fact]
    public void Failures_are_counted_by_kind_and_left_out_of_latency()
    {
        RequestOutcome[] outcomes =
        [
            Ok(0.1, 10), Ok(1.2, 20),
            new(TimeSpan.FromSeconds(1.5), TimeSpan.FromMilliseconds(0.1), 0, FailureKind.Refused, "/"),
            new(TimeSpan.FromSeconds(1.6), TimeSpan.FromMilliseconds(5), 503, FailureKind.ServerError, "/"),
        ];
        var report = LoadReport.Create(Options, outcomes);

        Assert.Equal(2, report.Failed);
        Assert.Equal(1, report.Failures[FailureKind.Refused]);
        Assert.Equal(1, report.Failures[FailureKind.ServerError]);
        Assert.Equal(0, report.Failures[FailureKind.Reset]);
        Assert.Equal(10, report.Latency.MinMs);
        Assert.Equal([new TimelineSecond(0, 1, 1, 0, 10), new TimelineSecond(1, 3, 1, 2, 20)], report.Timeline);
    }

    [Fact]
    public void Slice_keeps_requests_scheduled_in_the_window()
    {
        var report = LoadReport.Create(Options, Enumerable.Range(0, 30).Select(i => Ok(i / 10.0, i)).ToArray());
        var middle = report.Slice(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        Assert.Equal(10, middle.Requests);
        Assert.Equal(10, middle.Latency.MinMs);
        Assert.Equal(19, middle.Latency.MaxMs);
    }

    [Fact]
    public void Json_and_table_carry_the_figures()
    {
        var report = LoadReport.Create(Options, [Ok(0, 12.5), new(TimeSpan.FromSeconds(0.5), TimeSpan.FromMilliseconds(1), 0, FailureKind.Reset, "/")]);

        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(2, json.RootElement.GetProperty("requests").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("failures").GetProperty("reset").GetInt64());
        Assert.Equal(12.5, json.RootElement.GetProperty("latency").GetProperty("p99Ms").GetDouble());
        Assert.Equal(1, json.RootElement.GetProperty("timeline").GetArrayLength());
        Assert.False(json.RootElement.TryGetProperty("outcomes", out _));

        var table = ReportTable.Render([("steady state", report)]);
        Assert.Contains("requests", table);
        Assert.Contains("stddev(ms)", table);
        Assert.Contains("p99(ms)", table);
        Assert.Contains("1 (50.00%)", table);
        Assert.Contains("steady state failures: reset 1", table);
    }

    [Fact]
    public void Seconds_and_phases_without_a_success_show_a_dash_not_zero()
    {
        RequestOutcome Refused(double s) => new(TimeSpan.FromSeconds(s), TimeSpan.FromMilliseconds(0.2), 0, FailureKind.Refused, "/");
        var report = LoadReport.Create(Options, [Ok(0.1, 8), Refused(1.1), Refused(1.5)]);
        var failing = report.Slice(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        Assert.Null(report.Timeline[1].P99Ms);
        Assert.Equal(8, report.Timeline[0].P99Ms);
        Assert.Matches(@"\n\s+1\s+2\s+0\s+2\s+–", ReportTable.RenderTimeline(report));
        Assert.Matches(@"rollout\s+2\s+2 \(100\.00%\)\s+–\s+–\s+–\s+–\s+–", ReportTable.Render([("rollout", failing)]));
        Assert.DoesNotContain("0.0 ", ReportTable.Render([("rollout", failing)]).Split('\n')[1]);
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("timeline")[1].GetProperty("p99Ms").ValueKind);
    }

    [Fact]
    public void The_generator_figures_and_its_warnings_are_in_the_table()
    {
        var options = Options with { MaxConnections = 2 };
        RequestOutcome At(double s, double lagMs, double waitMs, int inFlight) =>
            new(TimeSpan.FromSeconds(s), TimeSpan.FromMilliseconds(5), 200, null, "/", TimeSpan.FromMilliseconds(lagMs), TimeSpan.FromMilliseconds(waitMs), inFlight);
        var report = LoadReport.Create(options, [At(0, 0.4, 0.1, 1), At(0.1, 15, 2, 2), At(0.2, 1, 40, 3)], new WarmUpReport(10, 0, 120));

        var g = report.Generator;
        Assert.Equal(3, g.PeakInFlight);
        Assert.Equal(1, g.AtConnectionCap);
        Assert.Equal(15, g.WorstSchedulerLagMs);
        Assert.Equal(1, g.LateDispatches);
        Assert.Equal(40, g.MaxConnectionWaitMs);
        Assert.Equal(2, g.Warnings.Count);
        var table = ReportTable.Render([("run", report)]);
        Assert.Contains("generator: warm-up 10 requests (0 failed) in 120 ms; peak in flight 3 of 2 connections; worst scheduler lag 15.0 ms; waiting for a connection: max 40.0 ms", table);
        Assert.Contains("warning: the generator fell behind its schedule: 1 requests dispatched more than 10 ms late (worst 15.0 ms)", table);
        Assert.Contains("warning: the generator hit its connection cap (2): 1 requests queued in the client", table);
        Assert.Contains("hidden by a retrying client: 0", table);
    }
}
