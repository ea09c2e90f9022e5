using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevEnv.Hosting.Traffic;

/// <summary>
/// What a load run measured. Latency figures cover successful requests (a refused connection "answers" in
/// microseconds and would flatter the average; with none they are empty and shown as "–"); failures are counted by
/// kind, each request once.
/// </summary>
public sealed record LoadReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Base URL the load went to.</summary>
    public required string Target { get; init; }

    /// <summary>Configured rate in requests per second.</summary>
    public required double RatePerSecond { get; init; }

    /// <summary>True when connections were kept alive.</summary>
    public required bool KeepAlive { get; init; }

    /// <summary>Scheduled time the report covers, in seconds.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Requests scheduled and finished.</summary>
    public required long Requests { get; init; }

    /// <summary>Requests with a non-error response.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Requests that failed (all kinds).</summary>
    public long Failed => Requests - Succeeded;

    /// <summary>Failures by kind; every kind is present, zero when none.</summary>
    public required IReadOnlyDictionary<FailureKind, long> Failures { get; init; }

    /// <summary>Latency of the successful requests.</summary>
    public required LatencyStats Latency { get; init; }

    /// <summary>Latency of the successful requests, per path (the handler's own time differs per path).</summary>
    public required IReadOnlyDictionary<string, LatencyStats> LatencyByPath { get; init; }

    /// <summary>Connection cap of the run.</summary>
    public required int MaxConnections { get; init; }

    /// <summary>The generator's own costs and warnings over these requests.</summary>
    public required GeneratorStats Generator { get; init; }

    /// <summary>The warm-up before the first scheduled request; null on a slice.</summary>
    public WarmUpReport? WarmUp { get; init; }

    /// <summary>
    /// Failures a client that re-sends a request whose connection was cut before the response (.NET's HttpClient,
    /// a browser's GET) would have hidden: the <see cref="FailureKind.Dropped"/> ones.
    /// </summary>
    public long HiddenByRetryingClient => Failures[FailureKind.Dropped];

    /// <summary>Per-second timeline by scheduled time, for the dashboard's chart.</summary>
    public required IReadOnlyList<TimelineSecond> Timeline { get; init; }

    /// <summary>Every request, kept so a report can be sliced into phases; not serialised.</summary>
    [JsonIgnore]
    public IReadOnlyList<RequestOutcome> Outcomes { get; init; } = [];

    /// <summary>Builds a report from raw outcomes.</summary>
    public static LoadReport Create(LoadOptions options, IReadOnlyList<RequestOutcome> outcomes, WarmUpReport? warmUp = null) =>
        Create(options.Target.ToString(), options.RatePerSecond, options.KeepAlive, options.MaxConnections, outcomes) with { WarmUp = warmUp };

    /// <summary>The part of this report whose requests were scheduled in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public LoadReport Slice(TimeSpan from, TimeSpan to) =>
        Create(Target, RatePerSecond, KeepAlive, MaxConnections, Outcomes.Where(o => o.Scheduled >= from && o.Scheduled < to).ToArray());

    /// <summary>The report as indented camelCase JSON (enum names as strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static LoadReport Create(string target, double rate, bool keepAlive, int maxConnections, IReadOnlyList<RequestOutcome> outcomes)
    {
        var ordered = outcomes.OrderBy(o => o.Scheduled).ToArray();
        var failures = Enum.GetValues<FailureKind>().ToDictionary(kind => kind, kind => (long)ordered.Count(o => o.Failure == kind));
        var ok = ordered.Where(o => o.Succeeded).ToArray();
        var span = ordered.Length == 0 ? 0 : (ordered[^1].Scheduled - ordered[0].Scheduled).TotalSeconds + 1 / rate;
        return new LoadReport
        {
            Target = target,
            RatePerSecond = rate,
            KeepAlive = keepAlive,
            DurationSeconds = span,
            Requests = ordered.Length,
            Succeeded = ok.Length,
            Failures = failures,
            Latency = LatencyStats.From(ok.Select(o => o.Latency.TotalMilliseconds).ToArray()),
            LatencyByPath = ok.GroupBy(o => o.Path).ToDictionary(g => g.Key, g => LatencyStats.From(g.Select(o => o.Latency.TotalMilliseconds).ToArray())),
            MaxConnections = maxConnections,
            Generator = GeneratorStats.From(ordered, maxConnections),
            Timeline = BuildTimeline(ordered),
            Outcomes = ordered,
        };
    }

    private static List<TimelineSecond> BuildTimeline(RequestOutcome[] ordered) =>
        ordered.GroupBy(o => (int)Math.Floor(o.Scheduled.TotalSeconds))
            .OrderBy(g => g.Key)
            .Select(g => new TimelineSecond(g.Key, g.LongCount(), g.LongCount(o => o.Succeeded), g.LongCount(o => !o.Succeeded),
                P99(g.Where(o => o.Succeeded).Select(o => o.Latency.TotalMilliseconds).Order().ToArray())))
            .ToList();

    private static double? P99(double[] sorted) => sorted.Length == 0 ? null : LatencyStats.Percentile(sorted, 0.99);
}
