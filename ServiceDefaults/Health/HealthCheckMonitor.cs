using System.Collections.Concurrent;
using DevEnv.ServiceDefaults.Logging;
using DevEnv.ServiceDefaults.Probes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace DevEnv.ServiceDefaults.Health;

/// <summary>
/// Runs every registered check tagged <c>ready</c> or <c>live</c> in the background, each in its own loop every
/// <see cref="ProbeOptions.CheckInterval"/>, and caches the results the probes answer from: a slow dependency never
/// delays start-up, the heartbeat or a probe. A check that has not answered after <see cref="ProbeOptions.CheckTimeout"/>
/// counts as unhealthy; a run that ignores its cancellation is waited for before the next starts, so hung runs never
/// pile up. A change of status is logged once, with the exception.
/// </summary>
internal sealed class HealthCheckMonitor(
    HealthCheckService health,
    IOptions<HealthCheckServiceOptions> registrations,
    ProbeOptions options,
    TimeProvider time,
    ILogger<HealthCheckMonitor> logger) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CheckResult> _results = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    /// <summary>Raised when any check's status changes (the probe state is rewritten at once).</summary>
    public event Action? Changed;

    /// <summary>The latest result of every monitored check, in registration order.</summary>
    public IReadOnlyList<CheckResult> Results => [.. Monitored.Select(r => _results[r.Name])];

    private IEnumerable<HealthCheckRegistration> Monitored =>
        registrations.Value.Registrations.Where(r => r.Tags.Contains(HealthTags.Ready) || r.Tags.Contains(HealthTags.Live));

    /// <summary>True when every check with <paramref name="tag"/> has answered and passes.</summary>
    public bool Passes(string tag) => Results.Where(r => r.Tags.Contains(tag)).All(r => r.Passes);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var registration in Monitored)
        {
            _results[registration.Name] = new CheckResult(registration.Name, registration.Tags, null, null, null);
            _loops.Add(Task.Run(() => LoopAsync(registration, _stop.Token), CancellationToken.None));
        }

        return Task.CompletedTask; // never waits for a check
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Registered both as itself and as a hosted service: the container disposes it twice.
    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        // A run stuck in a check that ignores cancellation must not hold up the exit.
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task LoopAsync(HealthCheckRegistration registration, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var run = RunOnceAsync(registration, stopping);
            var timeout = Task.Delay(options.CheckTimeout, time, stopping);
            if (await Task.WhenAny(run, timeout).ConfigureAwait(false) == run)
            {
                Record(registration, await run.ConfigureAwait(false));
            }
            else if (!stopping.IsCancellationRequested)
            {
                Record(registration, TimedOut(null));
                await ((Task)run).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            try
            {
                await Task.Delay(options.CheckInterval, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<HealthReportEntry> RunOnceAsync(HealthCheckRegistration registration, CancellationToken stopping)
    {
        // Background checks are not the app's traffic: keep their HTTP calls out of traces.
        using var suppress = SuppressInstrumentationScope.Begin();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(options.CheckTimeout);
        try
        {
            var report = await health.CheckHealthAsync(r => r.Name == registration.Name, deadline.Token).ConfigureAwait(false);
            // A check that noticed the deadline reports it in its own words ("The operation was canceled"); whichever
            // of the deadline and the loop's timer wins the race, the user reads the same reason.
            if (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                return TimedOut(null);
            }

            return report.Entries.TryGetValue(registration.Name, out var entry)
                ? entry
                : new HealthReportEntry(HealthStatus.Unhealthy, "the check did not report", TimeSpan.Zero, null, null);
        }
        catch (OperationCanceledException ex)
        {
            return TimedOut(ex);
        }
    }

    private HealthReportEntry TimedOut(Exception? exception) => new(HealthStatus.Unhealthy,
        $"no answer within {options.CheckTimeout.TotalMilliseconds} ms (Probe:CheckTimeout)", options.CheckTimeout, exception, null);

    private void Record(HealthCheckRegistration registration, HealthReportEntry entry)
    {
        var previous = _results[registration.Name];
        _results[registration.Name] = previous with { Status = entry.Status, Description = entry.Description, Exception = entry.Exception };
        if (previous.Status == entry.Status)
        {
            return;
        }

        if (entry.Status == HealthStatus.Healthy)
        {
            ServiceLog.CheckHealthy(logger, registration.Name, previous.StatusText);
        }
        else
        {
            ServiceLog.CheckFailing(logger, entry.Exception, registration.Name, entry.Status.ToString(), previous.StatusText, entry.Description ?? "");
        }

        Changed?.Invoke();
    }
}
