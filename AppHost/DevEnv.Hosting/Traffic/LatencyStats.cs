namespace DevEnv.Hosting.Traffic;

/// <summary>Latency summary in milliseconds (nearest-rank percentiles, population standard deviation).</summary>
public sealed record LatencyStats(long Count, double MinMs, double AvgMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double StdDevMs)
{
    /// <summary>The summary of no samples: all zero.</summary>
    public static LatencyStats Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Summarises <paramref name="latenciesMs"/> (any order; the array is sorted in place).</summary>
    public static LatencyStats From(double[] latenciesMs)
    {
        if (latenciesMs.Length == 0) return Empty;
        Array.Sort(latenciesMs);
        var avg = latenciesMs.Average();
        var variance = latenciesMs.Sum(x => (x - avg) * (x - avg)) / latenciesMs.Length;
        return new LatencyStats(latenciesMs.Length, latenciesMs[0], avg,
            Percentile(latenciesMs, 0.50), Percentile(latenciesMs, 0.90), Percentile(latenciesMs, 0.99),
            latenciesMs[^1], Math.Sqrt(variance));
    }

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
