using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevEnv.ServiceDefaults.Health;

/// <summary>
/// Tags that put a registered health check behind /healthz/ready or /healthz/live. Every tagged check runs in the
/// background on its own schedule with a timeout; probes answer from the cached results and never wait for one.
/// </summary>
public static class HealthTags
{
    /// <summary>
    /// Liveness: a failing check restarts the container. Aspire's rule holds: liveness is the process's own
    /// heartbeat ("self") and nothing that depends on another service; tag only cheap, local checks with this.
    /// </summary>
    public const string Live = "live";

    /// <summary>Readiness: dependencies. A failing check takes the pod out of the Service until it recovers.</summary>
    public const string Ready = "ready";

    /// <summary>A predicate selecting the checks with <paramref name="tag"/>.</summary>
    public static Func<HealthCheckRegistration, bool> Has(string tag) => registration => registration.Tags.Contains(tag);
}
