namespace DevEnv.Hosting.Traffic;

/// <summary>
/// Open-loop constant-rate HTTP load: request i is due at start + i / rate whatever earlier requests did, so a
/// stalled server shows up as latency (measured from the due time) instead of as a quietly lower rate.
/// </summary>
public sealed class LoadGenerator
{
    private readonly TimeProvider _time;

    /// <summary>Creates a generator; <paramref name="timeProvider"/> defaults to the system clock.</summary>
    public LoadGenerator(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Warms up, then starts the schedule of <see cref="LoadOptions.Duration"/>; returns when the first request is due.
    /// The run is stopped early with <see cref="LoadRun.StopAsync"/> or awaited with <see cref="LoadRun.WaitAsync"/>.
    /// </summary>
    public Task<LoadRun> StartAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        return LoadRun.StartAsync(options, _time, untilStopped: false, cancellationToken);
    }

    /// <summary>Like <see cref="StartAsync"/>, but the schedule has no end: it runs until <see cref="LoadRun.StopAsync"/> (the duration is ignored).</summary>
    public Task<LoadRun> StartUntilStoppedAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        return LoadRun.StartAsync(options, _time, untilStopped: true, cancellationToken);
    }

    /// <summary>Runs the whole <see cref="LoadOptions.Duration"/> and returns the report.</summary>
    public async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        await using var run = await StartAsync(options, cancellationToken).ConfigureAwait(false);
        return await run.WaitAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The handler every run uses: no proxy, no redirects, no cookies, a bounded connection pool, and connections
    /// opened by <paramref name="ledger"/> so that no request is sent twice.
    /// </summary>
    internal static SocketsHttpHandler CreateHandler(LoadOptions options, WireLedger ledger) => new()
    {
        ConnectCallback = ledger.ConnectAsync,
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        MaxConnectionsPerServer = options.MaxConnections,
        ConnectTimeout = options.RequestTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        // Without keep-alive the request says Connection: close, but a server that answers without echoing it and
        // closes gets its connection back in the pool, and the next request dies on it: never reuse one then.
        PooledConnectionLifetime = options.KeepAlive ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
    };
}
