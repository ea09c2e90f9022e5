namespace DevEnv.Hosting.Traffic;

/// <summary>
/// One request as the generator saw it. <see cref="Latency"/> runs from the SCHEDULED send time, not the
/// actual one, so time spent waiting behind a stalled connection counts (no coordinated omission).
/// </summary>
/// <param name="Scheduled">When the request was due, relative to the first scheduled request.</param>
/// <param name="Latency">From the scheduled time to the end of the response (or the failure).</param>
/// <param name="StatusCode">HTTP status, 0 when no response arrived.</param>
/// <param name="Failure">Why it failed, or null for a success (2xx/3xx).</param>
/// <param name="Path">The path requested.</param>
/// <param name="SchedulerLag">How late the generator handed the request to the client (its own delay, part of the latency).</param>
/// <param name="ConnectionWait">From handing it to the client until its bytes went on a connection (pool queue and connect).</param>
/// <param name="InFlight">Requests in flight once it started, itself included.</param>
/// <param name="ResendBlocked">True when the HTTP client tried to send it again and the generator stopped it.</param>
public readonly record struct RequestOutcome(
    TimeSpan Scheduled, TimeSpan Latency, int StatusCode, FailureKind? Failure, string Path,
    TimeSpan SchedulerLag = default, TimeSpan ConnectionWait = default, int InFlight = 0, bool ResendBlocked = false)
{
    /// <summary>True when the request got a non-error response.</summary>
    public bool Succeeded => Failure is null;
}
