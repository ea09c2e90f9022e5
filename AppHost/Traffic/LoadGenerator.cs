namespace DevEnv.AppHost.Traffic;

/// <summary>
/// Open-loop constant-rate HTTP load: request i is due at start + i / rate whatever earlier requests did, so a
/// stalled server shows up as latency (measured from the due time) instead of as a quietly lower rate.
/// </summary>
public sealed class LoadGenerator
{
    private readonly TimeProvider _time;

    /// <summary>Creates a generator; <paramref name="timeProvider"/> defaults to the system clock.</summary>
    public LoadGenerator(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Starts sending; the returned run is stopped early with <see cref="LoadRun.StopAsync"/> or awaited with <see cref="LoadRun.WaitAsync"/>.</summary>
    public LoadRun Start(LoadOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        return new LoadRun(options, _time, cancellationToken);
    }

    /// <summary>Runs the whole <see cref="LoadOptions.Duration"/> and returns the report.</summary>
    public async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        await using var run = Start(options, cancellationToken);
        return await run.WaitAsync().ConfigureAwait(false);
    }

    /// <summary>The handler every run uses: no proxy, no redirects, no cookies, a bounded connection pool.</summary>
    internal static SocketsHttpHandler CreateHandler(LoadOptions options) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        MaxConnectionsPerServer = options.MaxConnections,
        ConnectTimeout = options.RequestTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    };
}
