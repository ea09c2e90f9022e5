namespace DevEnv.TelemetryReceiver;

/// <summary>What the buffer holds and has done since the receiver started.</summary>
/// <param name="BufferedRequests">Requests kept, not yet released by a read.</param>
/// <param name="BufferedBytes">Their bodies' bytes.</param>
/// <param name="AcceptedRequests">Requests taken in (with the token).</param>
/// <param name="DroppedRequests">Requests dropped beyond the bound (the oldest first), or too large for it.</param>
/// <param name="DroppedBytes">Their bodies' bytes.</param>
/// <param name="RefusedRequests">Requests refused for a missing or wrong token.</param>
/// <param name="CapacityBytes">The bound.</param>
internal sealed record BufferStats(long BufferedRequests, long BufferedBytes, long AcceptedRequests, long DroppedRequests, long DroppedBytes,
    long RefusedRequests, long CapacityBytes);
