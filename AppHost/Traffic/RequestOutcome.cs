namespace DevEnv.AppHost.Traffic;

/// <summary>
/// One request as the generator saw it. <see cref="Latency"/> runs from the SCHEDULED send time, not the
/// actual one, so time spent waiting behind a stalled connection counts (no coordinated omission).
/// </summary>
/// <param name="Scheduled">When the request was due, relative to the start of the run.</param>
/// <param name="Latency">From the scheduled time to the end of the response (or the failure).</param>
/// <param name="StatusCode">HTTP status, 0 when no response arrived.</param>
/// <param name="Failure">Why it failed, or null for a success (2xx/3xx).</param>
/// <param name="Path">The path requested.</param>
public readonly record struct RequestOutcome(TimeSpan Scheduled, TimeSpan Latency, int StatusCode, FailureKind? Failure, string Path)
{
    /// <summary>True when the request got a non-error response.</summary>
    public bool Succeeded => Failure is null;
}
