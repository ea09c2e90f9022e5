using System.Runtime.InteropServices;
using DevEnv.ServiceDefaults.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.ServiceDefaults.Shutdown;

/// <summary>
/// Replaces the console lifetime: SIGTERM, SIGINT and SIGQUIT start draining instead of stopping the host
/// at once (Kestrel stops listening the moment the host stops, so the drain delay must come first).
/// Later signals are logged and ignored so they never cut the drain of in-flight requests short.
/// </summary>
internal sealed class SignalDrainLifetime(DrainCoordinator coordinator, ILogger<SignalDrainLifetime> logger)
    : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Cancel the default action (terminate the process); we stop the host ourselves after draining.
        context.Cancel = true;
        var name = context.Signal.ToString();
        if (Interlocked.Increment(ref _signals) > 1)
        {
            ServiceLog.SignalIgnored(logger, name);
            return;
        }

        ServiceLog.SignalReceived(logger, name);
        _ = coordinator.DrainAndStopAsync(name);
    }
}
