namespace DevEnv.Hosting.Traffic;

/// <summary>What load to send: an open-loop constant rate against one base URL.</summary>
public sealed record LoadOptions
{
    /// <summary>The default path mix: a fast path and one that holds the request for a second (in-flight work during a rollout).</summary>
    public static IReadOnlyList<string> DefaultPaths { get; } = ["/", "/work?ms=1000"];

    /// <summary>Base URL, e.g. http://127.0.0.1:31000.</summary>
    public required Uri Target { get; init; }

    /// <summary>Requests per second, scheduled at fixed intervals whatever the responses do. Default 300.</summary>
    public double RatePerSecond { get; init; } = 300;

    /// <summary>How long to schedule requests for. Default 30 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound on open connections; requests beyond it queue (and the queueing shows as latency). Default 256.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Paths sent in turn (round-robin), relative to <see cref="Target"/>.</summary>
    public IReadOnlyList<string> Paths { get; init; } = DefaultPaths;

    /// <summary>True: HTTP/1.1 keep-alive, connections reused. False: a new connection per request (Connection: close).</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>A request without a response after this long counts as <see cref="FailureKind.Timeout"/>. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests sent before the first scheduled one (not in the figures), in turn per path. Default 10; 0 for none.</summary>
    public int WarmUpRequests { get; init; } = 10;

    /// <summary>The warm-up stops after this long whatever is left (a slow path holds its lane). Default 3 s.</summary>
    public TimeSpan WarmUpLimit { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Total requests the run will schedule.</summary>
    public long TotalRequests => (long)Math.Floor(RatePerSecond * Duration.TotalSeconds);

    /// <summary>Throws when a value cannot give a meaningful run.</summary>
    public void Validate()
    {
        if (RatePerSecond is <= 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(RatePerSecond), RatePerSecond, "rate must be in (0, 100000] requests/s");
        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(2)) throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "duration must be in (0, 2h]");
        if (MaxConnections is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(MaxConnections), MaxConnections, "max connections must be in [1, 10000]");
        if (Paths.Count == 0) throw new ArgumentException("at least one path is needed", nameof(Paths));
        if (WarmUpRequests is < 0 or > 10_000) throw new ArgumentOutOfRangeException(nameof(WarmUpRequests), WarmUpRequests, "warm-up requests must be in [0, 10000]");
        if (WarmUpLimit <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(WarmUpLimit), WarmUpLimit, "warm-up limit must be positive");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "timeout must be positive");
    }
}
