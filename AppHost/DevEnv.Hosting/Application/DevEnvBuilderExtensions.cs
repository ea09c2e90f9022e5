using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.AppModel;
using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Dashboard;
using DevEnv.Hosting.Watch;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.Hosting.Application;

/// <summary>DevEnv in any Aspire AppHost: <see cref="AddDevEnv(IDistributedApplicationBuilder)"/>, and the shared settings and clients it registers.</summary>
public static class DevEnvBuilderExtensions
{
    /// <summary>
    /// Adds DevEnv to the AppHost: its settings (the <c>DEVENV_*</c> keys of <c>builder.Configuration</c>: environment
    /// variables, appsettings.json, <c>--DEVENV_NAME=...</c> arguments), its clients (Docker, kind, Kubernetes, the
    /// registry), the dashboard and OTLP endpoints on 127.0.0.1, the source watcher, and the step that deploys every
    /// project and container to the cluster once the model is complete. Idempotent: a second call returns the first
    /// call's services. <c>AddLocalRegistry</c>, <c>AddKindCluster</c> and <c>AddRemoteCluster</c> call it themselves.
    /// The verb (<c>down</c>, <c>manifests</c>, ...) is read from the AppHost's command line when it starts with one;
    /// end Program.cs with <c>await builder.Build().RunDevEnvAsync()</c> so that it runs.
    /// </summary>
    public static DevEnvServices AddDevEnv(this IDistributedApplicationBuilder builder)
    {
        if (Find(builder) is { } existing)
        {
            return existing;
        }

        // Only a command line that starts with one of our verbs is ours: a test host's or Aspire CLI's arguments are not.
        var args = Environment.GetCommandLineArgs().Skip(1).Where(a => !(a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))).ToArray();
        if (args.Length == 0 || !CliOptions.Verbs.Any(v => v.Verb == args[0]))
        {
            return builder.AddDevEnv(options: null, usageError: null, processRunner: null);
        }

        try
        {
            return builder.AddDevEnv(CliOptions.Parse(args), usageError: null, processRunner: null);
        }
        catch (UsageException ex)
        {
            return builder.AddDevEnv(new CliOptions("help"), ex.Message, processRunner: null);
        }
    }

    internal static DevEnvServices AddDevEnv(this IDistributedApplicationBuilder builder, CliOptions? options, string? usageError, Clients.Process.IProcessRunner? processRunner)
    {
        if (Find(builder) is { } existing)
        {
            return existing;
        }

        EnvironmentSettings settings;
        try
        {
            settings = EnvironmentSettings.FromEnvironment(key => builder.Configuration[key]);
            // Read when the model expands, long after this: a wrong value is the same one usage line as a wrong DEVENV_*.
            Resources.Telemetry.TelemetryPaths.Parse(builder.Configuration[Resources.Telemetry.TelemetryPaths.Variable]);
        }
        catch (ArgumentException ex)
        {
            settings = new EnvironmentSettings();
            usageError ??= ex.Message;
        }

        options ??= new CliOptions("up");
        var services = new DevEnvServices(settings, usageError is null ? options : new CliOptions("help") { Error = usageError }, processRunner, read: key => builder.Configuration[key]);
        DevEnvApplication.ApplyLoopbackDefaults(builder, settings);
        if (options.Verb == "up" && !options.NoDashboard)
        {
            DevEnvTelemetry.AddExport(builder);
            DashboardConnection.Register(builder);
        }

        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton(new WorkloadCatalog(builder));
        builder.Services.AddHostedService<SourceWatchService>();

        // The model is complete once Aspire starts it: then every project and container gets its place in the cluster.
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            ClusterWorkloads.Expand(builder, () => e.Services);
            return Task.CompletedTask;
        });
        PlainHttpCertificateCheck.Register(builder);
        return services;
    }

    /// <summary>The <see cref="DevEnvServices"/> of this AppHost (added by <see cref="AddDevEnv(IDistributedApplicationBuilder)"/> on first use).</summary>
    public static DevEnvServices DevEnv(this IDistributedApplicationBuilder builder) => Find(builder) ?? builder.AddDevEnv();

    /// <summary>What DevEnv made of the model: each project's pipeline.</summary>
    public static WorkloadCatalog DevEnvCatalog(this IDistributedApplicationBuilder builder)
    {
        builder.DevEnv();
        return (WorkloadCatalog)builder.Services.First(d => d.ServiceType == typeof(WorkloadCatalog)).ImplementationInstance!;
    }

    private static DevEnvServices? Find(IDistributedApplicationBuilder builder) =>
        builder.Services.FirstOrDefault(d => d.ServiceType == typeof(DevEnvServices))?.ImplementationInstance as DevEnvServices;
}
