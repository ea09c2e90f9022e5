using DevEnv.ServiceDefaults.Health;
using DevEnv.ServiceDefaults.Probes;
using DevEnv.ServiceDefaults.Shutdown;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DevEnv.ServiceDefaults.Management;

/// <summary>
/// What the management port answers: <c>GET|HEAD /healthz/startup</c>, <c>/healthz/live</c>, <c>/healthz/ready</c>,
/// each 200 or 503 with a short JSON body (mapped as ordinary endpoints, so the probes that decide readiness also
/// warm the app's routing before its first request); 404 on any other port. Nothing here changes
/// state: draining starts only with the <c>prestop</c> subcommand (exec) or a signal. Answers come from the state
/// the heartbeat last wrote (so they match the state file) and from the cached dependency checks; readiness turns
/// 503 the moment draining starts.
/// </summary>
internal sealed class ManagementEndpoints(ProbeStateWriter state, DrainCoordinator coordinator, HealthCheckMonitor checks, ProbeOptions options)
{
    /// <summary>The probe paths.</summary>
    public const string StartupPath = "/healthz/startup", LivePath = "/healthz/live", ReadyPath = "/healthz/ready";

    /// <summary>True for the three probe paths.</summary>
    public static bool IsProbePath(PathString path) => path.Value is StartupPath or LivePath or ReadyPath;

    public Task HandleAsync(HttpContext context)
    {
        // Mapped on every port by routing; answered only on the management port, as if not mapped elsewhere.
        if (context.Connection.LocalPort != options.Port)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        // Probe traffic is not the app's traffic: keep it out of the request metrics.
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.MetricsDisabled = true;
        }

        var path = context.Request.Path.Value;
        var published = state.Published;
        return path switch
        {
            StartupPath => HealthResponseWriter.WriteAsync(context, published.Started, [("started", Status(published.Started))]),
            LivePath => Live(context),
            _ => Ready(context, published),
        };
    }

    private Task Live(HttpContext context)
    {
        var self = state.HeartbeatFresh;
        var results = checks.Results.Where(r => r.Tags.Contains(HealthTags.Live)).ToList();
        return HealthResponseWriter.WriteAsync(context, self && results.All(r => r.Passes),
            [("self", Status(self)), .. results.Select(r => (r.Name, r.StatusText))]);
    }

    private Task Ready(HttpContext context, ProbeState published)
    {
        var draining = coordinator.IsDraining;
        var results = checks.Results.Where(r => r.Tags.Contains(HealthTags.Ready)).ToList();
        // published.Ready already includes started, not draining and the checks as written to the state file;
        // draining is read live as well, so readiness turns off before the file is rewritten, never after.
        return HealthResponseWriter.WriteAsync(context, published.Ready && !draining,
            [("started", Status(published.Started)), ("draining", Status(!draining)), .. results.Select(r => (r.Name, r.StatusText))]);
    }

    private static string Status(bool healthy) => healthy ? "Healthy" : "Unhealthy";
}
