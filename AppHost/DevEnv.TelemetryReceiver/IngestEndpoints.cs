using DevEnv.TelemetryReceiver.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DevEnv.TelemetryReceiver;

/// <summary>OTLP/HTTP on the ingest port: POST /v1/traces, /v1/metrics, /v1/logs with the pods' token.</summary>
internal static class IngestEndpoints
{
    /// <summary>Maps the three signal paths on <see cref="ReceiverProtocol.IngestPort"/>.</summary>
    public static void Map(IEndpointRouteBuilder app, ReceiverSettings settings, TelemetryBuffer buffer)
    {
        foreach (var signal in Enum.GetValues<TelemetrySignal>())
        {
            var path = new BatchEntry(0, signal, "", "", default).Path;
            app.MapPost(path, PortGate.Only(settings.IngestPort, context => IngestAsync(context, signal, settings, buffer)));
        }
    }

    private static async Task IngestAsync(HttpContext context, TelemetrySignal signal, ReceiverSettings settings, TelemetryBuffer buffer)
    {
        var request = context.Request;
        if (!TokenCheck.Carries(request, settings.IngestToken))
        {
            buffer.CountRefused();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var mediaType = (request.ContentType ?? "").Split(';')[0].Trim();
        if (mediaType is not ("application/x-protobuf" or "application/json"))
        {
            // OTLP/HTTP knows these two; anything else is not telemetry the dashboard could read.
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        using var body = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        buffer.Add(signal, mediaType, request.Headers.ContentEncoding.ToString(), body.ToArray());
        // An empty Export*ServiceResponse: zero bytes in protobuf, {} in JSON. Full success: the request is kept (a
        // later bound may still drop it, which the counters report; the sender has nothing better to do with it).
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = mediaType;
        if (mediaType == "application/json")
        {
            await context.Response.WriteAsync("{}", context.RequestAborted).ConfigureAwait(false);
        }
    }
}
