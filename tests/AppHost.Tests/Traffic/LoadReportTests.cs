using System.Text.Json;
using DevEnv.AppHost.Traffic;

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
}
