using DevEnv.ServiceDefaults.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.ServiceDefaults.Shutdown;

/// <summary>
/// The one place that knows whether the service is draining. Pre-stop and termination signals both go
/// through <see cref="BeginDrainAsync"/>; the first caller starts the drain delay and every later caller
/// waits for that same delay, so pre-stop followed by SIGTERM waits once, not twice.
/// </summary>
public sealed class DrainCoordinator(
    ShutdownOptions options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DrainCoordinator> logger)
{
    private readonly Lock _gate = new();
    private Task? _drainDelay;
    private string _reason = "";
    private long _drainStartedTimestamp;
    private int _inFlight;
    private long _served;
    private long _aborted;
    private int _stopRequested;
    private long _abortDeadline = long.MaxValue;

    /// <summary>The shutdown settings in force.</summary>
    public ShutdownOptions Options => options;

    /// <summary>True from the first pre-stop or termination signal on; readiness reports 503.</summary>
    public bool IsDraining => Volatile.Read(ref _drainDelay) is not null;

    /// <summary>When draining started, or null.</summary>
    public DateTimeOffset? DrainingSince { get; private set; }

    /// <summary>Requests currently being served.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Requests completed since start (answered, or ended by their client).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Requests cut off because they were still running when <see cref="ShutdownOptions.Timeout"/> ran out.</summary>
    public long AbortedAtTimeout => Interlocked.Read(ref _aborted);

    /// <summary>Raised once, when draining starts (the probe state is rewritten at once).</summary>
    public event Action? DrainStarted;

    /// <summary>
    /// Starts draining (readiness 503) unless already draining, and returns a task that completes when
    /// the drain delay that started first is over.
    /// </summary>
    public Task BeginDrainAsync(string reason)
    {
        Task delay;
        lock (_gate)
        {
            if (_drainDelay is not null)
            {
                var elapsed = time.GetElapsedTime(_drainStartedTimestamp);
                ServiceLog.DrainAlreadyStarted(logger, reason, Math.Round(elapsed.TotalMilliseconds), _reason);
                return _drainDelay;
            }

            _reason = reason;
            _drainStartedTimestamp = time.GetTimestamp();
            DrainingSince = time.GetUtcNow();
            delay = options.DrainDelay > TimeSpan.Zero ? Task.Delay(options.DrainDelay, time) : Task.CompletedTask;
            Volatile.Write(ref _drainDelay, delay);
        }

        ServiceLog.DrainStarted(logger, reason, options.DrainDelay.TotalMilliseconds, InFlight);
        DrainStarted?.Invoke();
        return delay;
    }

    /// <summary>
    /// Drains (waiting out the delay unless a pre-stop already did), then stops the host: Kestrel stops
    /// accepting and in-flight requests get <see cref="ShutdownOptions.Timeout"/> to finish.
    /// </summary>
    public async Task DrainAndStopAsync(string reason)
    {
        await BeginDrainAsync(reason).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0)
        {
            ServiceLog.StoppingServer(logger, options.Timeout.TotalMilliseconds, InFlight);
            // The host gives the server the same timeout from here on; a request aborted after it is one we cut off.
            Interlocked.Exchange(ref _abortDeadline, time.GetTimestamp() + (long)(options.Timeout.TotalSeconds * time.TimestampFrequency));
            lifetime.StopApplication();
        }
    }

    /// <summary>Counts a request as in flight; call <see cref="EndRequest"/> when it ends.</summary>
    internal void BeginRequest() => Interlocked.Increment(ref _inFlight);

    /// <summary>
    /// Ends a request. One whose connection was aborted once the shutdown timeout had run out is counted (and
    /// logged) as cut off, not as served: the client saw a reset, and the exit log must say so.
    /// </summary>
    internal void EndRequest(bool aborted, string method, string path, long startedTimestamp)
    {
        Interlocked.Decrement(ref _inFlight);
        if (aborted && time.GetTimestamp() >= Interlocked.Read(ref _abortDeadline))
        {
            Interlocked.Increment(ref _aborted);
            ServiceLog.RequestAbortedAtTimeout(logger, method, path, Math.Round(time.GetElapsedTime(startedTimestamp).TotalMilliseconds), options.Timeout.TotalMilliseconds);
            return;
        }

        Interlocked.Increment(ref _served);
    }

    /// <summary>The clock requests are timed with.</summary>
    internal TimeProvider Time => time;
}
