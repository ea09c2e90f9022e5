using System.Text.Json;
using DevEnv.ServiceDefaults.Health;
using DevEnv.ServiceDefaults.Logging;
using DevEnv.ServiceDefaults.Shutdown;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// The heartbeat and the one place that decides what the probes answer. Every tick records that the process is
/// alive (liveness is this tick and nothing else), picks up a prestop request and rewrites the state file for the
/// <c>probe</c> subcommand. The state is also rewritten at once when the app has started, starts draining or a
/// dependency check changes, and the HTTP probes answer from the state last written, so the file never says
/// Starting while /healthz/ready already says 200. It keeps beating through the host's stop (liveness must stay
/// healthy while in-flight requests drain) and removes the file only when the host is disposed, right before exit.
/// </summary>
internal sealed class ProbeStateWriter(
    ProbeOptions options,
    DrainCoordinator coordinator,
    HealthCheckMonitor checks,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ProbeStateWriter> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _writeLock = new();
    private readonly ProcessIdentity _identity = ProcessIdentity.Current;
    private Task _loop = Task.CompletedTask;
    private FileSystemWatcher? _watcher;
    private long _lastTick;
    private int _preStopSeen;
    private string? _failing;
    private volatile ProbeState _published = new();

    /// <summary>The state last written (what the state file says).</summary>
    public ProbeState Published => _published;

    /// <summary>Liveness: the heartbeat ticked within <see cref="ProbeOptions.StaleAfter"/>.</summary>
    public bool HeartbeatFresh => time.GetElapsedTime(Interlocked.Read(ref _lastTick)) <= options.StaleAfter;

    private string StatePath => options.StateFilePath(environment.ApplicationName);

    private string PreStopPath => options.PreStopRequestPath(environment.ApplicationName, _identity.InstanceId);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastTick, time.GetTimestamp());
        try
        {
            Directory.CreateDirectory(options.StateDirectory);
            Write(throwOnFailure: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailureException(
                $"cannot write the probe state file {StatePath}: {ex.Message} Give the app a writable Probe__StateDirectory (in a pod: an emptyDir at /tmp).", ex);
        }

        coordinator.DrainStarted += () => Write();
        checks.Changed += () => Write();
        lifetime.ApplicationStarted.Register(() => Write());
        lifetime.ApplicationStopping.Register(() => Write());
        WatchForPreStop();
        _loop = RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    // Deliberately keeps beating: the host stops long before the process exits.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Registered both as itself and as a hosted service: the container disposes it twice.
    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _watcher?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        TryDelete(StatePath);
        TryDelete(PreStopPath);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Exchange(ref _lastTick, time.GetTimestamp());
                CheckPreStopRequest();
                Write();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the process is exiting.
        }
        catch (Exception ex)
        {
            // Without a heartbeat the exec probes fail a few seconds from now for no visible reason: say why and stop now.
            ServiceLog.HeartbeatStopped(logger, ex, ex.Message);
            lifetime.StopApplication();
        }
    }

    // inotify makes the prestop command take effect at once; the heartbeat check is the fallback for
    // file systems without change notifications.
    private void WatchForPreStop()
    {
        try
        {
            _watcher = new FileSystemWatcher(options.StateDirectory, Path.GetFileName(PreStopPath));
            _watcher.Created += (_, _) => CheckPreStopRequest();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            _watcher?.Dispose();
            _watcher = null;
        }
    }

    private void CheckPreStopRequest()
    {
        // The watcher and the heartbeat can both see the same request: act on it once.
        if (File.Exists(PreStopPath) && Interlocked.Exchange(ref _preStopSeen, 1) == 0)
        {
            ServiceLog.PreStopRequested(logger, PreStopPath);
            _ = coordinator.BeginDrainAsync("prestop command");
            TryDelete(PreStopPath);
        }
    }

    private void Write(bool throwOnFailure = false)
    {
        lock (_writeLock)
        {
            var started = lifetime.ApplicationStarted.IsCancellationRequested;
            var state = new ProbeState
            {
                ProcessId = _identity.ProcessId,
                ProcessStartTicks = _identity.StartTicks,
                BootId = _identity.BootId,
                InstanceId = _identity.InstanceId,
                UpdatedAt = time.GetUtcNow(),
                Phase = lifetime.ApplicationStopping.IsCancellationRequested ? "Stopping"
                    : coordinator.IsDraining ? "Draining"
                    : started ? "Running" : "Starting",
                Started = started,
                Live = HeartbeatFresh && checks.Passes(HealthTags.Live),
                Ready = started && !coordinator.IsDraining && checks.Passes(HealthTags.Ready),
                DrainingSince = coordinator.DrainingSince,
                DrainDelayMs = coordinator.Options.DrainDelay.TotalMilliseconds,
            };

            try
            {
                // Write then rename, so a probe never reads a half-written file.
                var temp = StatePath + ".tmp";
                File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(state, ProbeStateJsonContext.Default.ProbeState));
                File.Move(temp, StatePath, overwrite: true);
                if (_failing is not null)
                {
                    ServiceLog.StateFileRecovered(logger, StatePath);
                    _failing = null;
                }
            }
            catch (Exception ex) when (!throwOnFailure && ex is IOException or UnauthorizedAccessException)
            {
                // Keep beating: the HTTP probes still answer, and a transient failure may pass. Say so once per cause.
                if (_failing != ex.GetType().Name)
                {
                    _failing = ex.GetType().Name;
                    ServiceLog.StateFileFailed(logger, ex, StatePath, options.StaleAfter.TotalSeconds);
                }
            }
            finally
            {
                // The HTTP probes follow the state just decided, written or not.
                _published = state;
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale state file fails the identity check anyway, and request files are per instance.
        }
    }
}
