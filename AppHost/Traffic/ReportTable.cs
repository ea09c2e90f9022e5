using System.Globalization;
using System.Text;

namespace DevEnv.AppHost.Traffic;

/// <summary>
/// Renders reports as plain-text tables in the field report's format (requests, errors, avg, min, max,
/// stddev) plus p99, one row per phase, then failures by kind and optionally the per-second timeline.
/// </summary>
public static class ReportTable
{
    /// <summary>One row per (phase, report).</summary>
    public static string Render(IEnumerable<(string Phase, LoadReport Report)> rows)
    {
        var list = rows.ToList();
        var sb = new StringBuilder();
        sb.AppendLine(Row("phase", "requests", "errors", "avg(ms)", "min(ms)", "max(ms)", "stddev(ms)", "p99(ms)"));
        foreach (var (phase, r) in list)
        {
            sb.AppendLine(Row(phase, N(r.Requests), $"{N(r.Failed)} ({Pct(r.Failed, r.Requests)})",
                Ms(r.Latency.AvgMs), Ms(r.Latency.MinMs), Ms(r.Latency.MaxMs), Ms(r.Latency.StdDevMs), Ms(r.Latency.P99Ms)));
        }
        foreach (var (phase, r) in list.Where(x => x.Report.Failed > 0))
        {
            var kinds = string.Join(", ", r.Failures.Where(f => f.Value > 0).Select(f => $"{f.Key.ToString().ToLowerInvariant()} {f.Value}"));
            sb.AppendLine(CultureInfo.InvariantCulture, $"{phase} failures: {kinds}");
        }
        return sb.ToString();
    }

    /// <summary>The per-second timeline of one report.</summary>
    public static string RenderTimeline(LoadReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"second",6} {"sent",6} {"ok",6} {"failed",6} {"p99(ms)",9}");
        foreach (var s in report.Timeline)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{s.Second,6} {s.Sent,6} {s.Ok,6} {s.Failed,6} {Ms(s.P99Ms),9}");
        }
        return sb.ToString();
    }

    private static string Row(string phase, string requests, string errors, string avg, string min, string max, string stddev, string p99) =>
        $"{phase,-16} {requests,9} {errors,14} {avg,9} {min,9} {max,9} {stddev,11} {p99,9}";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string Pct(long part, long whole) =>
        (whole == 0 ? 0 : 100.0 * part / whole).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
