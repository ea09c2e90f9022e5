using System.Globalization;
using System.Net.Http.Headers;
using DevEnv.TelemetryReceiver.Protocol;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>The in-cluster receiver's counters, as the headers of its last read carried them.</summary>
/// <param name="Instance">The receiver process (a new pod starts a new one).</param>
/// <param name="BufferedRequests">Requests waiting for the AppHost.</param>
/// <param name="BufferedBytes">Their bodies' size.</param>
/// <param name="AcceptedRequests">Requests the pods sent with the right token.</param>
/// <param name="DroppedRequests">Requests the buffer's bound pushed out before the AppHost read them.</param>
/// <param name="DroppedBytes">Their bodies' size.</param>
/// <param name="RefusedRequests">Requests without the right token.</param>
public sealed record ReceiverCounters(string Instance, long BufferedRequests, long BufferedBytes, long AcceptedRequests, long DroppedRequests, long DroppedBytes, long RefusedRequests)
{
    /// <summary>The counters of a read's response; a missing header is a receiver of another version.</summary>
    public static ReceiverCounters From(HttpResponseHeaders headers) => new(
        Text(headers, ReceiverProtocol.InstanceHeader),
        Number(headers, ReceiverProtocol.BufferedRequestsHeader),
        Number(headers, ReceiverProtocol.BufferedBytesHeader),
        Number(headers, ReceiverProtocol.AcceptedRequestsHeader),
        Number(headers, ReceiverProtocol.DroppedRequestsHeader),
        Number(headers, ReceiverProtocol.DroppedBytesHeader),
        Number(headers, ReceiverProtocol.RefusedRequestsHeader));

    /// <summary>In words for the resource's state, e.g. "3 buffered, 12 dropped (48 KiB) beyond the bound, 1 refused".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{BufferedRequests} buffered, {DroppedRequests} dropped ({DroppedBytes / 1024} KiB) beyond the bound, {RefusedRequests} refused without the token");

    private static string Text(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } value
            ? value
            : throw new InvalidDataException($"the telemetry receiver's answer has no {name} header: it is not DevEnv's receiver of this version");

    private static long Number(HttpResponseHeaders headers, string name) =>
        long.Parse(Text(headers, name), NumberStyles.None, CultureInfo.InvariantCulture);
}
