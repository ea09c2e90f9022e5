using Microsoft.Extensions.Configuration;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>
/// The Aspire dashboard's OTLP endpoint on this host and the API key it checks, as the AppHost configured them:
/// OTLP/HTTP when configured (what ServiceDefaults' exporter is tested with), else OTLP/gRPC.
/// </summary>
/// <param name="Url">The endpoint, e.g. http://127.0.0.1:18890.</param>
/// <param name="Protocol">http/protobuf or grpc.</param>
/// <param name="ApiKey">The x-otlp-api-key value; null when the dashboard accepts telemetry without one.</param>
public sealed record DashboardOtlpTarget(Uri Url, string Protocol, string? ApiKey)
{
    /// <summary>Reads the target from the AppHost's configuration; null when no dashboard endpoint is configured.</summary>
    public static DashboardOtlpTarget? From(IConfiguration configuration)
    {
        // Aspire generates this key at start-up and gives it to the dashboard and to the processes it starts.
        var apiKey = configuration["AppHost:OtlpApiKey"] is { Length: > 0 } key ? key : null;
        if (Endpoint(configuration, "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL") is { } http)
        {
            return new DashboardOtlpTarget(http, "http/protobuf", apiKey);
        }

        return Endpoint(configuration, "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_ENDPOINT_URL") is { } grpc
            ? new DashboardOtlpTarget(grpc, "grpc", apiKey)
            : null;
    }

    private static Uri? Endpoint(IConfiguration configuration, string name, string legacyName) =>
        (configuration[name] ?? configuration[legacyName]) is { Length: > 0 } value && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
}
