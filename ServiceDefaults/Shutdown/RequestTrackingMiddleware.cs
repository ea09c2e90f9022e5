using DevEnv.ServiceDefaults.Management;
using DevEnv.ServiceDefaults.Probes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace DevEnv.ServiceDefaults.Shutdown;

/// <summary>
/// First in the pipeline. On the management port only the probe paths go on (to the endpoints
/// <see cref="ServiceDefaultsExtensions.MapDefaultEndpoints"/> maps), anything else is 404 at once, so the app's own
/// endpoints are not reachable there; everything else is the app's traffic: counted while in flight, told <c>Connection: close</c>
/// once draining (HTTP/1.1 keep-alive clients then reconnect, to another pod, instead of reusing a connection that
/// is about to close under them), and counted as cut off when the shutdown timeout aborts it.
/// </summary>
internal sealed class RequestTrackingStartupFilter(DrainCoordinator coordinator, ProbeOptions probe) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Connection.LocalPort == probe.Port)
            {
                if (ManagementEndpoints.IsProbePath(context.Request.Path))
                {
                    await nextMiddleware(context).ConfigureAwait(false);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                }

                return;
            }

            var started = coordinator.Time.GetTimestamp();
            coordinator.BeginRequest();
            try
            {
                if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
                {
                    context.Response.OnStarting(static state =>
                    {
                        var (ctx, drain) = ((HttpContext, DrainCoordinator))state;
                        if (drain.IsDraining)
                        {
                            ctx.Response.Headers[HeaderNames.Connection] = "close";
                        }

                        return Task.CompletedTask;
                    }, (context, coordinator));
                }

                await nextMiddleware(context).ConfigureAwait(false);
            }
            finally
            {
                coordinator.EndRequest(context.RequestAborted.IsCancellationRequested, context.Request.Method, context.Request.Path.Value ?? "/", started);
            }
        });
        next(app);
    };
}
