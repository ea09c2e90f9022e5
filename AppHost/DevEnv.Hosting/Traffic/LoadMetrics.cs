using System.Diagnostics;
using System.Diagnostics.Metrics;
using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Traffic;

/// <summary>
/// The load generator's requests as metrics of the AppHost (exported to the dashboard with its other metrics), live
/// while a verification runs, so the dashboard's Metrics page charts the rollout: requests by result and failure kind,
/// and latency from the scheduled send time.
/// </summary>
public static class LoadMetrics
{
    /// <summary>Requests sent, tagged devenv.target (host:port), devenv.result (ok, failed) and devenv.failure (the kind, for failures).</summary>
    public const string RequestsName = "devenv.verify_rollout.requests";

    /// <summary>Latency from the scheduled time, in milliseconds.</summary>
    public const string LatencyName = "devenv.verify_rollout.latency";

    private static readonly Meter Meter = new(DevEnvTelemetry.Name);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(RequestsName, "{request}", "Requests the rollout verifier sent");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>(LatencyName, "ms", "Latency from the scheduled send time");

    /// <summary>Records one finished request.</summary>
    public static void Record(Uri target, RequestOutcome outcome)
    {
        var tags = new TagList { { "devenv.target", target.Authority }, { "devenv.result", outcome.Failure is null ? "ok" : "failed" } };
        if (outcome.Failure is { } failure)
        {
            tags.Add("devenv.failure", failure.ToString().ToLowerInvariant());
        }

        Requests.Add(1, tags);
        Latency.Record(outcome.Latency.TotalMilliseconds, tags);
    }
}
