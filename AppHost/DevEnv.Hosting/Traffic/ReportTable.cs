using System.Globalization;
using System.Text;

namespace DevEnv.Hosting.Traffic;

/// <summary>
/// Renders reports as plain-text tables in the field report's format (requests, errors, avg, min, max,
/// stddev) plus p99, one row per phase, then failures by kind, what a retrying client would have hidden, the
/// generator's own figures and warnings, and optionally the per-second timeline. Latency with no success is "–".
/// </summary>
public static class ReportTable
{
    /// <summary>Shown where there is no successful request to take a latency from.</summary>
    public const string None = "–";

    /// <summary>
    /// One row per (phase, report), then the failure kinds per phase and the generator lines of <paramref name="run"/>
    /// (default: the row with the most requests, i.e. the whole run).
    /// </summary>
    public static string Render(IEnumerable<(string Phase, LoadReport Report)> rows, LoadReport? run = null)
    {
        var list = rows.ToList();
        var sb = new StringBuilder();
        sb.AppendLine(Row("phase", "requests", "errors", "avg(ms)", "min(ms)", "max(ms)", "stddev(ms)", "p99(ms)"));
        foreach (var (phase, r) in list)
        {
            var l = r.Latency;
            var any = l.Count > 0;
            sb.AppendLine(Row(phase, N(r.Requests), $"{N(r.Failed)} ({Pct(r.Failed, r.Requests)})",
                Ms(l.AvgMs, any), Ms(l.MinMs, any), Ms(l.MaxMs, any), Ms(l.StdDevMs, any), Ms(l.P99Ms, any)));
        }
        foreach (var (phase, r) in list.Where(x => x.Report.Failed > 0))
        {
            var kinds = string.Join(", ", r.Failures.Where(f => f.Value > 0).Select(f => $"{f.Key.ToString().ToLowerInvariant()} {f.Value}"));
            sb.AppendLine(CultureInfo.InvariantCulture, $"{phase} failures: {kinds}");
        }
        run ??= list.Select(x => x.Report).MaxBy(r => r.Requests);
        if (run is not null) AppendGenerator(sb, run);
        return sb.ToString();
    }

    /// <summary>The per-second timeline of one report.</summary>
    public static string RenderTimeline(LoadReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"second",6} {"sent",6} {"ok",6} {"failed",6} {"p99(ms)",9}");
        foreach (var s in report.Timeline)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{s.Second,6} {s.Sent,6} {s.Ok,6} {s.Failed,6} {Ms(s.P99Ms ?? 0, s.P99Ms is not null),9}");
        }
        return sb.ToString();
    }

    private static void AppendGenerator(StringBuilder sb, LoadReport run)
    {
        var g = run.Generator;
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"hidden by a retrying client: {N(run.HiddenByRetryingClient)} (dropped: sent, connection cut before any response byte; .NET's HttpClient or a browser GET re-sends these; every request here went on the wire once{(g.ResendsBlocked > 0 ? $", {N(g.ResendsBlocked)} re-sends stopped" : "")})");
        var warmUp = run.WarmUp is { } w ? $"warm-up {N(w.Requests)} requests ({N(w.Failed)} failed) in {w.DurationMs:F0} ms; " : "";
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"generator: {warmUp}peak in flight {N(g.PeakInFlight)} of {N(g.MaxConnections)} connections; worst scheduler lag {g.WorstSchedulerLagMs:F1} ms; waiting for a connection: max {g.MaxConnectionWaitMs:F1} ms, p99 {g.P99ConnectionWaitMs:F1} ms, total {g.TotalConnectionWaitSeconds:F1} s");
        foreach (var warning in g.Warnings)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"warning: {warning}");
        }
    }

    private static string Row(string phase, string requests, string errors, string avg, string min, string max, string stddev, string p99) =>
        $"{phase,-16} {requests,9} {errors,14} {avg,9} {min,9} {max,9} {stddev,11} {p99,9}";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value, bool any) => any ? value.ToString("F1", CultureInfo.InvariantCulture) : None;

    private static string Pct(long part, long whole) =>
        (whole == 0 ? 0 : 100.0 * part / whole).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
