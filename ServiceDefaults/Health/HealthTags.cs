using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevEnv.ServiceDefaults.Health;

/// <summary>Tags that put a health check behind /healthz/startup, /healthz/live or /healthz/ready.</summary>
public static class HealthTags
{
    /// <summary>Startup probe: the app has finished starting.</summary>
    public const string Startup = "startup";

    /// <summary>Liveness probe: restart the container when unhealthy. Keep these cheap and local.</summary>
    public const string Live = "live";

    /// <summary>Readiness probe: send traffic only when healthy (unhealthy while draining).</summary>
    public const string Ready = "ready";

    /// <summary>A predicate selecting the checks with <paramref name="tag"/>.</summary>
    public static Func<HealthCheckRegistration, bool> Has(string tag) => registration => registration.Tags.Contains(tag);
}
