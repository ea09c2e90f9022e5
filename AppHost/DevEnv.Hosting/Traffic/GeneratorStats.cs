using System.Globalization;

namespace DevEnv.Hosting.Traffic;

/// <summary>
/// The load generator's own costs over a set of requests, so they are not mistaken for the service's: how late it
/// dispatched, how long requests queued for a connection, how many were in flight, and warnings when it could not
/// keep the open-loop schedule.
/// </summary>
public sealed record GeneratorStats
{
    /// <summary>A dispatch later than this makes the generator "fell behind".</summary>
    public static TimeSpan LagWarning { get; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The connection cap of the run.</summary>
    public required int MaxConnections { get; init; }

    /// <summary>Most requests in flight at once.</summary>
    public required int PeakInFlight { get; init; }

    /// <summary>Requests started while every allowed connection was busy (they queued in the client: closed-loop).</summary>
    public required long AtConnectionCap { get; init; }

    /// <summary>Worst delay between a request's due time and its dispatch, in ms.</summary>
    public required double WorstSchedulerLagMs { get; init; }

    /// <summary>Requests dispatched later than <see cref="LagWarning"/>.</summary>
    public required long LateDispatches { get; init; }

    /// <summary>Longest wait for a connection (pool queue + connect), in ms.</summary>
    public required double MaxConnectionWaitMs { get; init; }

    /// <summary>99th percentile of the wait for a connection, in ms.</summary>
    public required double P99ConnectionWaitMs { get; init; }

    /// <summary>All the requests' waits for a connection added up, in seconds.</summary>
    public required double TotalConnectionWaitSeconds { get; init; }

    /// <summary>Re-sends the HTTP client attempted and the generator stopped (each would have hidden a dropped request).</summary>
    public required long ResendsBlocked { get; init; }

    /// <summary>Why the figures may describe the generator rather than the service; empty when it kept up.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var warnings = new List<string>();
            if (LateDispatches > 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"the generator fell behind its schedule: {LateDispatches} requests dispatched more than {LagWarning.TotalMilliseconds:F0} ms late (worst {WorstSchedulerLagMs:F1} ms); their latency includes the generator's delay: lower the rate or free CPU"));
            }
            if (AtConnectionCap > 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"the generator hit its connection cap ({MaxConnections}): {AtConnectionCap} requests queued in the client (closed-loop, outages under-sampled): raise MaxConnections or lower the rate"));
            }
            return warnings;
        }
    }

    /// <summary>The stats of <paramref name="outcomes"/>.</summary>
    public static GeneratorStats From(IReadOnlyCollection<RequestOutcome> outcomes, int maxConnections)
    {
        var waits = outcomes.Select(o => o.ConnectionWait.TotalMilliseconds).Order().ToArray();
        return new GeneratorStats
        {
            MaxConnections = maxConnections,
            PeakInFlight = outcomes.Count == 0 ? 0 : outcomes.Max(o => o.InFlight),
            AtConnectionCap = outcomes.LongCount(o => o.InFlight > maxConnections),
            WorstSchedulerLagMs = outcomes.Count == 0 ? 0 : outcomes.Max(o => o.SchedulerLag.TotalMilliseconds),
            LateDispatches = outcomes.LongCount(o => o.SchedulerLag > LagWarning),
            MaxConnectionWaitMs = waits.Length == 0 ? 0 : waits[^1],
            P99ConnectionWaitMs = LatencyStats.Percentile(waits, 0.99),
            TotalConnectionWaitSeconds = waits.Sum() / 1000,
            ResendsBlocked = outcomes.LongCount(o => o.ResendBlocked),
        };
    }
}
