using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace DevEnv.ServiceDefaults.Shutdown;

/// <summary>
/// First in the pipeline: counts in-flight requests and, once draining, answers HTTP/1.1 with
/// <c>Connection: close</c> so keep-alive clients reconnect (to another pod) instead of reusing a
/// connection that is about to be closed under them.
/// </summary>
internal sealed class RequestTrackingStartupFilter(DrainCoordinator coordinator) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            using var scope = coordinator.TrackRequest();
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
        });
        next(app);
    };
}
