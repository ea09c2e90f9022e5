using System.Text.Json;
using DevEnv.ServiceDefaults.Health;
using DevEnv.ServiceDefaults.Logging;
using DevEnv.ServiceDefaults.Shutdown;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// Writes the probe state file on a heartbeat, evaluating the same tagged health checks as the HTTP
/// endpoints, so an <c>exec</c> probe works without the HTTP server. It keeps beating through the host's
/// stop (liveness must stay healthy while in-flight requests drain) and removes the file only when the
/// host is disposed, right before the process exits. It also picks up the prestop subcommand's request.
/// </summary>
internal sealed class ProbeStateWriter(
    ProbeOptions options,
    DrainCoordinator coordinator,
    HealthCheckService health,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ProbeStateWriter> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Task _loop = Task.CompletedTask;
    private FileSystemWatcher? _watcher;
    private bool _warned;
    private int _preStopSeen;

    private string StatePath => options.StateFilePath(environment.ApplicationName);

    private string PreStopPath => options.PreStopRequestPath(environment.ApplicationName);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.StateDirectory);
        // A request left over from a previous container in the same pod must not drain this one.
        File.Delete(PreStopPath);
        coordinator.DrainStarted += () => _ = WriteAsync(CancellationToken.None);
        await WriteAsync(cancellationToken).ConfigureAwait(false);
        WatchForPreStop();
        _loop = RunAsync(_stop.Token);
    }

    // Deliberately keeps beating: the host stops long before the process exits.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        TryDelete(StatePath);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                CheckPreStopRequest();
                await WriteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the process is exiting.
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
        catch (IOException)
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
        }

        TryDelete(PreStopPath);
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = lifetime.ApplicationStarted.IsCancellationRequested;
            var live = await health.CheckHealthAsync(HealthTags.Has(HealthTags.Live), cancellationToken).ConfigureAwait(false);
            var ready = await health.CheckHealthAsync(HealthTags.Has(HealthTags.Ready), cancellationToken).ConfigureAwait(false);
            var state = new ProbeState
            {
                ProcessId = Environment.ProcessId,
                UpdatedAt = time.GetUtcNow(),
                Phase = lifetime.ApplicationStopping.IsCancellationRequested ? "Stopping"
                    : coordinator.IsDraining ? "Draining"
                    : started ? "Running" : "Starting",
                Started = started,
                Live = live.Status != HealthStatus.Unhealthy,
                Ready = started && ready.Status != HealthStatus.Unhealthy,
                DrainingSince = coordinator.DrainingSince,
                DrainDelayMs = coordinator.Options.DrainDelay.TotalMilliseconds,
            };

            // Write then rename, so a probe never reads a half-written file.
            var temp = StatePath + ".tmp";
            await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(state, ProbeStateJsonContext.Default.ProbeState), cancellationToken).ConfigureAwait(false);
            File.Move(temp, StatePath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Keep beating: a transient failure must not stop the heartbeat. Warn once, not every second.
            if (!_warned)
            {
                _warned = true;
                ServiceLog.StateFileFailed(logger, ex, StatePath);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale file fails the freshness check anyway.
        }
    }
}
