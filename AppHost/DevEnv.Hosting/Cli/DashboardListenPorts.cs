using Microsoft.Extensions.Configuration;

namespace DevEnv.Hosting.Cli;

/// <summary>
/// The loopback ports the dashboard's OTLP endpoints and the AppHost's resource service will listen on, read from the
/// configuration the AppHost runs with (Properties/launchSettings.json under <c>dotnet run</c>, else DevEnv's defaults
/// next to DEVENV_DASHBOARD_PORT). Checked before start because a taken one fails late and vaguely: the resource
/// service's bind aborts the AppHost with a stack trace, and a dashboard without its OTLP port shows no telemetry.
/// </summary>
internal static class DashboardListenPorts
{
    // The first key of each pair is the one the AppHost's launch profile sets; the second is the older spelling Aspire reads too.
    private static readonly (string What, string Key, string Fallback)[] Endpoints =
    [
        ("Aspire resource service (the dashboard's view of the resources)", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "DOTNET_RESOURCE_SERVICE_ENDPOINT_URL"),
        ("Aspire dashboard's OTLP/gRPC endpoint", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"),
        ("Aspire dashboard's OTLP/HTTP endpoint", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"),
    ];

    /// <summary>Each configured endpoint with an explicit port: what it is, its host and port, and the setting that moves it.</summary>
    public static IEnumerable<(string What, string Host, int Port, string Setting)> From(IConfiguration configuration)
    {
        foreach (var (what, key, fallback) in Endpoints)
        {
            var (setting, value) = configuration[key] is { Length: > 0 } primary ? (key, primary) : (fallback, configuration[fallback]);
            // Port 0 (or none) means Aspire picks a free one: nothing to check.
            if (Uri.TryCreate(value, UriKind.Absolute, out var url) && !url.IsDefaultPort && url.Port > 0
                && System.Net.IPAddress.TryParse(url.Host, out _))
            {
                yield return (what, url.Host, url.Port, setting);
            }
        }
    }
}
