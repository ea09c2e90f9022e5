using DevEnv.ServiceDefaults.Probes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DevEnv.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry as Aspire's service defaults set it up: traces (ASP.NET Core, HttpClient, the app's own
/// ActivitySource named after the application), metrics (ASP.NET Core, HttpClient, runtime) and logs, exported by
/// OTLP. Switched on by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the AppHost sets it, as Aspire does); the standard
/// <c>OTEL_*</c> settings apply (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_PROTOCOL/HEADERS,
/// OTEL_METRIC_EXPORT_INTERVAL, OTEL_BSP_SCHEDULE_DELAY...). Without it nothing is registered at all, so a plain
/// run pays nothing for telemetry at start-up. Probe traffic and the /healthz paths are never traced.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>The variable that switches export on.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Adds OpenTelemetry with the OTLP exporter when <see cref="EndpointVariable"/> is set.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder, ProbeOptions probe) where TBuilder : IHostApplicationBuilder
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointVariable]))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbeTraffic(context, probe))
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
        return builder;
    }

    private static bool IsProbeTraffic(HttpContext context, ProbeOptions probe) =>
        context.Connection.LocalPort == probe.Port || context.Request.Path.StartsWithSegments("/healthz");
}
