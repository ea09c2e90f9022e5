using DevEnv.ServiceDefaults.Health;
using DevEnv.ServiceDefaults.Logging;
using DevEnv.ServiceDefaults.Probes;
using DevEnv.ServiceDefaults.Shutdown;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.ServiceDefaults;

/// <summary>
/// What every service gets from two calls, in the spirit of Aspire's service defaults:
/// <see cref="AddServiceDefaults"/> (logging, health checks, drain-aware lifetime, probe state file) and
/// <see cref="MapDefaultEndpoints"/> (/healthz/*, /prestop); <see cref="RunServiceAsync"/> runs the app
/// and turns start-up failures into clear messages and exit codes.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Exit code when the listening address is already in use.</summary>
    public const int AddressInUseExitCode = 3;

    /// <summary>Registers the service defaults.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var shutdown = SettingsReader.ReadShutdown(builder.Configuration);
        var probe = SettingsReader.ReadProbe(builder.Configuration);

        builder.Logging.ClearProviders();
        if (Console.IsOutputRedirected)
        {
            // Not a terminal (container, CI, test): one JSON object per line for log collectors.
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        // Per-request framework logs drown the lifecycle events; failing checks while draining are expected.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(shutdown);
        services.AddSingleton(probe);
        services.AddSingleton<DrainCoordinator>();
        // Replaces the console lifetime, whose signal handlers would stop the host without draining.
        services.AddSingleton<IHostLifetime, SignalDrainLifetime>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown.Timeout);
        services.AddTransient<IStartupFilter, RequestTrackingStartupFilter>();
        services.AddHostedService<ProbeStateWriter>();
        services.AddHealthChecks().AddLifecycleChecks();
        return builder;
    }

    /// <summary>Maps /healthz/startup, /healthz/live, /healthz/ready and GET|POST /prestop.</summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        MapProbe(endpoints, "/healthz/startup", HealthTags.Startup);
        MapProbe(endpoints, "/healthz/live", HealthTags.Live);
        MapProbe(endpoints, "/healthz/ready", HealthTags.Ready);

        // For a Kubernetes preStop httpGet hook: answers once the drain delay is over, so the kubelet
        // sends SIGTERM only after load balancers had time to stop sending here.
        endpoints.MapMethods("/prestop", [HttpMethods.Get, HttpMethods.Post], async (HttpContext context) =>
        {
            var drain = context.RequestServices.GetRequiredService<DrainCoordinator>();
            await drain.BeginDrainAsync("prestop request").ConfigureAwait(false);
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync($$"""{"status":"Draining","drainDelayMs":{{drain.Options.DrainDelay.TotalMilliseconds}}}""");
        });
        return endpoints;
    }

    /// <summary>
    /// Starts the app, waits for shutdown (signals drain first), logs the exit and returns the exit code.
    /// A port already in use gives a one-line error and <see cref="AddressInUseExitCode"/>.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DevEnv.ServiceDefaults");
        var drain = app.Services.GetRequiredService<DrainCoordinator>();
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AddressInUseException || ex.InnerException is AddressInUseException)
        {
            ServiceLog.AddressInUse(logger, ex.Message);
            await Console.Error.WriteLineAsync($"error: {ex.Message} Another process already uses that port; stop it or choose another port (ASPNETCORE_URLS / --urls).").ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return AddressInUseExitCode;
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        ServiceLog.Exiting(logger, 0, drain.InFlight, drain.Served);
        // Disposing flushes the console logger and removes the probe state file.
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    private static void MapProbe(IEndpointRouteBuilder endpoints, string path, string tag) =>
        endpoints.MapHealthChecks(path, new HealthCheckOptions
        {
            Predicate = HealthTags.Has(tag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
}
