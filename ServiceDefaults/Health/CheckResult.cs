using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DevEnv.ServiceDefaults.Health;

/// <summary>The cached outcome of one background health check; <see cref="Status"/> is null until its first run ends.</summary>
/// <param name="Name">The registration's name.</param>
/// <param name="Tags">The registration's tags.</param>
/// <param name="Status">Last status, or null while the first run is pending.</param>
/// <param name="Description">Last description (why it failed, or that it timed out).</param>
/// <param name="Exception">Last exception, if the check threw.</param>
internal sealed record CheckResult(string Name, ISet<string> Tags, HealthStatus? Status, string? Description, Exception? Exception)
{
    /// <summary>True when the check has answered and is not unhealthy (degraded still serves).</summary>
    public bool Passes => Status is HealthStatus.Healthy or HealthStatus.Degraded;

    /// <summary>Healthy, Degraded, Unhealthy or Pending.</summary>
    public string StatusText => Status?.ToString() ?? "Pending";
}
