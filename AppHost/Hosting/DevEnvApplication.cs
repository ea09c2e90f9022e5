using Aspire.Hosting;
using DevEnv.AppHost.Cli;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Watch;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.AppHost.Hosting;

/// <summary>
/// Creates the Aspire builder for a DevEnv AppHost and runs the verb the command line asks for: <c>up</c> (the
/// default) runs the AppHost under DCP with the Aspire dashboard; the other verbs work on the same model without it.
/// </summary>
public static class DevEnvApplication
{
    /// <summary>
    /// <see cref="DistributedApplication.CreateBuilder(string[])"/> with the environment's settings (DEVENV_*) and
    /// clients registered, the dashboard and OTLP on 127.0.0.1, and the source watcher for <c>up</c>.
    /// </summary>
    public static IDistributedApplicationBuilder CreateBuilder(string[] args, DevEnvServices? services = null)
    {
        CliOptions options;
        EnvironmentSettings settings;
        try
        {
            options = CliOptions.Parse(args);
            settings = EnvironmentSettings.FromEnvironment();
        }
        catch (Exception ex) when (ex is UsageException or ArgumentException)
        {
            options = new CliOptions("help") { Error = ex.Message };
            settings = new EnvironmentSettings();
        }

        services ??= new DevEnvServices(settings, options);
        var dashboard = services.Options.Verb == "up" && !services.Options.NoDashboard;
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [], DisableDashboard = !dashboard });
        ApplyLoopbackDefaults(builder, services.Settings);
        builder.Services.AddSingleton(services);
        builder.Services.AddHostedService<SourceWatchService>();
        return builder;
    }

    /// <summary>Runs the verb: <c>up</c> until Ctrl+C (the environment stays up), the others to completion. Returns the exit code.</summary>
    public static Task<int> RunDevEnvAsync(this DistributedApplication app) => VerbRunner.RunAsync(app, CliConsole.System());

    // `dotnet run` applies Properties/launchSettings.json (Aspire's convention); a direct start of the built AppHost,
    // a test host or `aspire run` may not, so the same loopback values are the defaults here. DEVENV_DASHBOARD_PORT wins.
    private static void ApplyLoopbackDefaults(IDistributedApplicationBuilder builder, EnvironmentSettings settings)
    {
        var configuration = builder.Configuration;
        if (Environment.GetEnvironmentVariable("DEVENV_DASHBOARD_PORT") is not null || string.IsNullOrEmpty(configuration["ASPNETCORE_URLS"]))
        {
            configuration["ASPNETCORE_URLS"] = $"http://{settings.BindAddress}:{settings.DashboardPort}";
        }

        if (string.IsNullOrEmpty(configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]) && string.IsNullOrEmpty(configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]))
        {
            configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://{settings.BindAddress}:{settings.DashboardPort + 1}";
        }

        configuration["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] ??= "true";
    }
}
