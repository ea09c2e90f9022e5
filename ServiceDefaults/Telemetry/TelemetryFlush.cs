using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DevEnv.ServiceDefaults.Telemetry;

/// <summary>
/// Sends what the OTLP exporters still hold before the host is disposed. Disposing flushes too, but the service
/// container disposes the HttpClient pipeline the exporters send through (the resilience handler that
/// ConfigureHttpClientDefaults adds) before the logger provider: the last batch, which holds the drain and exit
/// lines, was dropped with "This resilience pipeline has been disposed". Flushing first sends it while the
/// pipeline is alive.
/// </summary>
public static class TelemetryFlush
{
    /// <summary>How long the flush may take in all; what is not sent by then is lost, the exit is not held up.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    /// <summary>Flushes traces, metrics and logs, in that order; does nothing when telemetry is off.</summary>
    public static void Flush(IServiceProvider services)
    {
        var deadline = DateTime.UtcNow + Budget;
        services.GetService<TracerProvider>()?.ForceFlush(Remaining(deadline));
        services.GetService<MeterProvider>()?.ForceFlush(Remaining(deadline));
        services.GetService<LoggerProvider>()?.ForceFlush(Remaining(deadline));
    }

    private static int Remaining(DateTime deadline) => (int)Math.Max(0, (deadline - DateTime.UtcNow).TotalMilliseconds);
}
