using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DevEnv.Hosting.Application;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.Hosting.Traffic;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>The generator's requests become the AppHost's metrics as they finish, and agree with its own report.</summary>
public sealed class LoadMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_request_is_counted_by_result_and_failure_kind_with_its_latency_and_the_totals_match_the_report()
    {
        await using var server = await LocalKestrel.StartAsync(Ct);
        var refusing = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var counts = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentDictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DevEnvTelemetry.Name && instrument.Name is LoadMetrics.RequestsName or LoadMetrics.LatencyName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => counts.AddOrUpdate(Key(tags), value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) => latencies.AddOrUpdate(Key(tags), 1, (_, v) => v + 1));
        listener.Start();

        var ok = await new LoadGenerator().RunAsync(new LoadOptions { Target = server.Address, RatePerSecond = 50, Duration = TimeSpan.FromSeconds(1), Paths = ["/"] }, Ct);
        var refused = await new LoadGenerator().RunAsync(new LoadOptions { Target = refusing, RatePerSecond = 20, Duration = TimeSpan.FromSeconds(1), Paths = ["/"] }, Ct);

        Assert.Equal(ok.Requests, counts.GetValueOrDefault($"{server.Address.Authority} ok "));
        Assert.Equal(ok.Requests, latencies.GetValueOrDefault($"{server.Address.Authority} ok "));
        Assert.Equal(refused.Failed, counts.GetValueOrDefault($"{refusing.Authority} failed refused"));
        Assert.Equal(refused.Requests, refused.Failures[FailureKind.Refused]);
        Assert.True(refused.Requests > 0);
    }

    private static string Key(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string target = "", result = "", failure = "";
        foreach (var (key, value) in tags)
        {
            switch (key)
            {
                case "devenv.target": target = (string)value!; break;
                case "devenv.result": result = (string)value!; break;
                case "devenv.failure": failure = (string)value!; break;
            }
        }

        return $"{target} {result} {failure}";
    }
}
