using DevEnv.ServiceDefaults.Health;
using DevEnv.ServiceDefaults.Logging;
using DevEnv.ServiceDefaults.Management;
using DevEnv.ServiceDefaults.Probes;
using DevEnv.ServiceDefaults.Shutdown;
using DevEnv.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DevEnv.ServiceDefaults;

/// <summary>
/// What every service gets from one call, in the shape of Aspire's service defaults: <see cref="AddServiceDefaults"/>
/// (logging, OpenTelemetry, service discovery and standard resilience for HttpClient, background health checks, a
/// drain-aware lifetime, the management port, the probe state file); <see cref="MapDefaultEndpoints"/> (the probes,
/// answered on the management port only); <see cref="RunServiceAsync"/>
/// runs the app and turns start-up failures into one clear line and an exit code.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Exit code when a listening address is already in use.</summary>
    public const int AddressInUseExitCode = 3;

    /// <summary>Exit code when a setting is invalid (validated at start).</summary>
    public const int InvalidSettingsExitCode = 4;

    /// <summary>Exit code when the lifecycle machinery cannot run (e.g. the probe state file cannot be written).</summary>
    public const int StartFailedExitCode = 5;

    // Defaults that quiet per-request framework noise, as the lowest-precedence configuration source:
    // appsettings.json, Logging__LogLevel__* and the command line all override them.
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Http"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        // The background monitor logs each change of a check's status once (event 1012/1013); the framework's own
        // line per failing run would repeat it every Probe:CheckInterval.
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Critical",
    };

    /// <summary>Registers the service defaults.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        var settings = SettingsReader.Read(builder.Configuration);
        var errors = settings.Errors.ToList();
        if (builder is WebApplicationBuilder web)
        {
            var serving = ServerUrls.Serving(builder.Configuration);
            if (serving.FirstOrDefault(u => ServerUrls.PortOf(u) == settings.Probe.Port) is { } clash)
            {
                errors.Add($"Probe:Port = '{settings.Probe.Port}' is also the app's address {clash}; the management port must be a port of its own.");
            }

            web.WebHost.UseUrls([.. serving, ServerUrls.Management(serving, settings.Probe.Port)]);
            // The ports are in the URLs now; left set, the host would warn that URLs override them on every start.
            web.WebHost.UseSetting("http_ports", "");
            web.WebHost.UseSetting("https_ports", "");
        }

        ConfigureLogging(builder);
        builder.ConfigureOpenTelemetry(settings.Probe);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings.Shutdown);
        services.AddSingleton(settings.Probe);
        services.AddOptions<ServiceSettings>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceSettings>>(new ServiceSettingsValidator(errors));
        services.AddSingleton<DrainCoordinator>();
        // Replaces the console lifetime, whose signal handlers would stop the host without draining.
        services.AddSingleton<IHostLifetime, SignalDrainLifetime>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Shutdown.Timeout);
        services.AddTransient<IStartupFilter, RequestTrackingStartupFilter>();
        services.AddSingleton<ManagementEndpoints>();
        services.AddHealthChecks();
        services.AddSingleton<HealthCheckMonitor>();
        services.AddHostedService(s => s.GetRequiredService<HealthCheckMonitor>());
        services.AddSingleton<ProbeStateWriter>();
        services.AddHostedService(s => s.GetRequiredService<ProbeStateWriter>());

        services.AddServiceDiscovery();
        services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Maps <c>GET|HEAD /healthz/startup</c>, <c>/healthz/live</c> and <c>/healthz/ready</c>, answered on the management
    /// port (<c>Probe:Port</c>) only: on the app's own port they are 404, and nothing on either port changes state.
    /// </summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var management = endpoints.ServiceProvider.GetRequiredService<ManagementEndpoints>();
        foreach (var path in new[] { ManagementEndpoints.StartupPath, ManagementEndpoints.LivePath, ManagementEndpoints.ReadyPath })
        {
            endpoints.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], management.HandleAsync);
        }

        return endpoints;
    }

    /// <summary>
    /// Starts the app, waits for shutdown (signals drain first), logs the exit and returns the exit code. A port
    /// in use, an invalid setting or a lifecycle part that cannot run gives one line on stderr and its exit code.
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
            return await FailAsync(app, $"{ex.Message} Another process already uses that port; stop it or choose another port (ASPNETCORE_URLS / --urls, Probe__Port).", AddressInUseExitCode).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                ServiceLog.StartFailed(logger, "invalid setting " + failure);
            }

            return await FailAsync(app, string.Join("\nerror: ", ex.Failures.Select(f => "invalid setting " + f)), InvalidSettingsExitCode).ConfigureAwait(false);
        }
        catch (StartupFailureException ex)
        {
            ServiceLog.StartFailed(logger, ex.Message);
            return await FailAsync(app, ex.Message, StartFailedExitCode).ConfigureAwait(false);
        }

        ServiceLog.Listening(logger, string.Join(", ", app.Urls.Where(u => ServerUrls.PortOf(u) != app.Services.GetRequiredService<ProbeOptions>().Port)),
            app.Services.GetRequiredService<ProbeOptions>().Port);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        ServiceLog.Exiting(logger, 0, drain.Served, drain.AbortedAtTimeout, drain.InFlight);
        TelemetryFlush.Flush(app.Services);
        // Disposing flushes the console logger and removes the probe state file.
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> FailAsync(WebApplication app, string message, int exitCode)
    {
        await Console.Error.WriteLineAsync("error: " + message).ConfigureAwait(false);
        TelemetryFlush.Flush(app.Services);
        await app.DisposeAsync().ConfigureAwait(false);
        return exitCode;
    }

    private static void ConfigureLogging(IHostApplicationBuilder builder)
    {
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
    }
}
