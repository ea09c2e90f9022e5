using System.Globalization;
using System.Text.Json;
using DevEnv.TelemetryReceiver.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DevEnv.TelemetryReceiver;

/// <summary>
/// The read port: the AppHost's long-polling read of the buffer and the counters (both with the read token), and the
/// probes' health path. Not behind the Service's ingest port; reached through the API server's port-forward.
/// </summary>
internal static class ReadEndpoints
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);
    private const long DefaultBatchBytes = 4L * 1024 * 1024;

    /// <summary>Maps read, status and health on <see cref="ReceiverProtocol.ReadPort"/>.</summary>
    public static void Map(IEndpointRouteBuilder app, ReceiverSettings settings, TelemetryBuffer buffer)
    {
        app.MapGet(ReceiverProtocol.HealthPath, PortGate.Only(settings.ReadPort, context => context.Response.WriteAsync("ok", context.RequestAborted)));
        app.MapGet(ReceiverProtocol.ReadPath, PortGate.Only(settings.ReadPort, context => ReadAsync(context, settings, buffer)));
        app.MapGet(ReceiverProtocol.StatusPath, PortGate.Only(settings.ReadPort, context => StatusAsync(context, settings, buffer)));
    }

    private static async Task ReadAsync(HttpContext context, ReceiverSettings settings, TelemetryBuffer buffer)
    {
        if (!TokenCheck.Carries(context.Request, settings.ReadToken))
        {
            buffer.CountRefused();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var query = context.Request.Query;
        // Sequence numbers of another receiver process (this pod replaced one) release nothing here.
        var after = query["instance"] == buffer.Instance ? Number(query["after"], 0) : 0;
        var wait = TimeSpan.FromSeconds(Math.Min(Number(query["wait"], 0), LongestWait.TotalSeconds));
        var batch = await buffer.ReadAsync(after, Number(query["max"], DefaultBatchBytes), wait, context.RequestAborted).ConfigureAwait(false);

        var response = context.Response;
        WriteCounters(response, buffer);
        response.ContentType = ReceiverProtocol.BatchContentType;
        await BatchFormat.WriteAsync(response.Body, batch, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StatusAsync(HttpContext context, ReceiverSettings settings, TelemetryBuffer buffer)
    {
        if (!TokenCheck.Carries(context.Request, settings.ReadToken))
        {
            buffer.CountRefused();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        WriteCounters(context.Response, buffer);
        var stats = buffer.Stats();
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("instance", buffer.Instance);
        json.WriteNumber("bufferedRequests", stats.BufferedRequests);
        json.WriteNumber("bufferedBytes", stats.BufferedBytes);
        json.WriteNumber("acceptedRequests", stats.AcceptedRequests);
        json.WriteNumber("droppedRequests", stats.DroppedRequests);
        json.WriteNumber("droppedBytes", stats.DroppedBytes);
        json.WriteNumber("refusedRequests", stats.RefusedRequests);
        json.WriteNumber("capacityBytes", stats.CapacityBytes);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteCounters(HttpResponse response, TelemetryBuffer buffer)
    {
        var stats = buffer.Stats();
        var headers = response.Headers;
        headers[ReceiverProtocol.InstanceHeader] = buffer.Instance;
        headers[ReceiverProtocol.BufferedRequestsHeader] = Text(stats.BufferedRequests);
        headers[ReceiverProtocol.BufferedBytesHeader] = Text(stats.BufferedBytes);
        headers[ReceiverProtocol.AcceptedRequestsHeader] = Text(stats.AcceptedRequests);
        headers[ReceiverProtocol.DroppedRequestsHeader] = Text(stats.DroppedRequests);
        headers[ReceiverProtocol.DroppedBytesHeader] = Text(stats.DroppedBytes);
        headers[ReceiverProtocol.RefusedRequestsHeader] = Text(stats.RefusedRequests);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long Number(string? text, long fallback) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
