using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Dashboard;

/// <summary>The dashboard's connection to the AppHost's resource service, for <c>up</c> with the dashboard.</summary>
internal static class DashboardConnection
{
    /// <summary>
    /// Points the dashboard at another resource service address than the one the AppHost listens on. For diagnosis and
    /// for the test that breaks the connection on purpose (an address where nothing listens); unset in normal use.
    /// </summary>
    public const string ResourceServiceUrlOverride = "DEVENV_DASHBOARD_RESOURCE_SERVICE_URL";

    /// <summary>The category under which Aspire re-logs the dashboard's resource-service client in the AppHost.</summary>
    public const string ForwardedClientCategory = "Aspire.Hosting.Dashboard.ServiceClient";

    /// <summary>Adds the <see cref="DashboardConnectionMonitor"/> and, when configured, the address override.</summary>
    public static void Register(IDistributedApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<DashboardConnectionMonitor>();

        // Aspire forwards the dashboard's own log into the AppHost's console: for this failure a 40-line gRPC stack
        // trace at every retry. The monitor's one line replaces it; the full text stays in the dashboard resource's log.
        builder.Services.AddLogging(logging => logging.AddFilter(ForwardedClientCategory, LogLevel.None));
        if (builder.Configuration[ResourceServiceUrlOverride] is not { Length: > 0 } url)
        {
            return;
        }

        // Aspire adds the dashboard resource and its environment callback at BeforeStartEvent; a callback added before
        // the resource starts runs after Aspire's, so its value is the one the dashboard gets.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>((e, _) =>
        {
            if (string.Equals(e.Resource.Name, DashboardConnectionMonitor.DashboardResource, StringComparison.OrdinalIgnoreCase))
            {
                e.Resource.Annotations.Add(new EnvironmentCallbackAnnotation(env =>
                {
                    env["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = url;
                    env["DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"] = url;
                }));
            }

            return Task.CompletedTask;
        });
    }
}
