using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevEnv.SampleApi;

/// <summary>
/// An optional service SampleApi depends on (<c>Downstream__BaseAddress</c>, e.g. <c>http://inventory</c> through
/// service discovery, or a plain URL). When set, readiness includes a check that GETs
/// <c>Downstream__HealthPath</c> (default <c>/</c>) on it; when unset, SampleApi depends on nothing.
/// </summary>
public static class Downstream
{
    /// <summary>Name of the HttpClient and of the readiness check.</summary>
    public const string Name = "downstream";

    /// <summary>Registers the client and the readiness check when <c>Downstream:BaseAddress</c> is set.</summary>
    public static WebApplicationBuilder AddDownstream(this WebApplicationBuilder builder)
    {
        var baseAddress = builder.Configuration["Downstream:BaseAddress"];
        if (string.IsNullOrWhiteSpace(baseAddress))
        {
            return builder;
        }

        var healthPath = builder.Configuration["Downstream:HealthPath"] is { Length: > 0 } p ? p : "/";
        // Without ServiceDefaults' standard resilience handler: its retries with back-off would turn a refused
        // connection into a check that times out. A readiness check asks once; its next run is the retry.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental
        builder.Services.AddHttpClient(Name, c => c.BaseAddress = new Uri(baseAddress)).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(Name,
            services => new DownstreamCheck(services.GetRequiredService<IHttpClientFactory>(), healthPath),
            HealthStatus.Unhealthy, [ServiceDefaults.Health.HealthTags.Ready]));
        return builder;
    }

    private sealed class DownstreamCheck(IHttpClientFactory clients, string path) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var client = clients.CreateClient(Name);
            using var response = await client.GetAsync(path, cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"GET {path} answered {(int)response.StatusCode}");
        }
    }
}
