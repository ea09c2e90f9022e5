using Aspire.Hosting;
using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Watch;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.Hosting.Application;

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
    public static IDistributedApplicationBuilder CreateBuilder(string[] args, IProcessRunner? processRunner = null)
    {
        // `--key=value` arguments are configuration (Aspire's convention, also how a test host passes DEVENV_* settings);
        // the rest are our verb and its flags.
        var configuration = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();
        var verbArgs = args.Except(configuration).ToArray();
        var options = TryParse(verbArgs, out var usageError);
        var dashboard = options.Verb == "up" && !options.NoDashboard;
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = configuration, DisableDashboard = !dashboard });

        builder.AddDevEnv(options, usageError, processRunner);
        return builder;
    }

    private static CliOptions TryParse(string[] args, out string? error)
    {
        try
        {
            error = null;
            return CliOptions.Parse(args);
        }
        catch (UsageException ex)
        {
            error = ex.Message;
            return new CliOptions("help");
        }
    }

    /// <summary>Runs the verb: <c>up</c> until Ctrl+C (the environment stays up), the others to completion. Returns the exit code.</summary>
    public static Task<int> RunDevEnvAsync(this DistributedApplication app) => VerbRunner.RunAsync(app, CliConsole.System());

    /// <summary>
    /// Deploys the model to the cluster now (each project and container gets its image and deployment resources), for the
    /// verbs that read the model without starting it. <c>up</c> does it on Aspire's BeforeStartEvent; doing it twice is harmless.
    /// </summary>
    public static void ExpandModel(DistributedApplication app)
    {
        app.Services.GetService<WorkloadCatalog>()?.EnsureExpanded(() => app.Services);
    }

    // `dotnet run` applies Properties/launchSettings.json (Aspire's convention); a direct start of the built AppHost,
    // a test host or `aspire run` may not, so the same loopback values are the defaults here. DEVENV_DASHBOARD_PORT wins.
    internal static void ApplyLoopbackDefaults(IDistributedApplicationBuilder builder, EnvironmentSettings settings)
    {
        var configuration = builder.Configuration;
        if (configuration["DEVENV_DASHBOARD_PORT"] is not null || string.IsNullOrEmpty(configuration["ASPNETCORE_URLS"]))
        {
            configuration["ASPNETCORE_URLS"] = $"http://{settings.BindAddress}:{settings.DashboardPort}";
        }

        // OTLP/gRPC for Aspire's own use, OTLP/HTTP for the pods (through the telemetry relay): what ServiceDefaults'
        // exporter is tested with.
        if (string.IsNullOrEmpty(configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]) && string.IsNullOrEmpty(configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]))
        {
            configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://{settings.BindAddress}:{settings.DashboardPort + 1}";
            configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://{settings.BindAddress}:{settings.DashboardPort + 2}";
        }

        configuration["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] ??= "true";
    }
}
