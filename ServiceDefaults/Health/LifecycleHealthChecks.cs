using DevEnv.ServiceDefaults.Shutdown;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace DevEnv.ServiceDefaults.Health;

/// <summary>The built-in checks: started (startup + ready), not draining (ready), and the process itself (live).</summary>
internal static class LifecycleHealthChecks
{
    public static IHealthChecksBuilder AddLifecycleChecks(this IHealthChecksBuilder builder) => builder
        .Add(new HealthCheckRegistration("started",
            services => new DelegateCheck(() => services.GetLifetime().ApplicationStarted.IsCancellationRequested
                ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("starting")),
            HealthStatus.Unhealthy, [HealthTags.Startup, HealthTags.Ready]))
        .Add(new HealthCheckRegistration("draining",
            services => new DelegateCheck(() => services.GetDrain().IsDraining
                ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy()),
            HealthStatus.Unhealthy, [HealthTags.Ready]))
        // Liveness answers from the process itself: draining or stopping is not a reason to restart it.
        .Add(new HealthCheckRegistration("self",
            _ => new DelegateCheck(static () => HealthCheckResult.Healthy()),
            HealthStatus.Unhealthy, [HealthTags.Live]));

    private static IHostApplicationLifetime GetLifetime(this IServiceProvider services) =>
        (IHostApplicationLifetime)services.GetService(typeof(IHostApplicationLifetime))!;

    private static DrainCoordinator GetDrain(this IServiceProvider services) =>
        (DrainCoordinator)services.GetService(typeof(DrainCoordinator))!;

    private sealed class DelegateCheck(Func<HealthCheckResult> check) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(check());
    }
}
