namespace DevEnv.Hosting.Traffic;

/// <summary>
/// The requests sent before the first scheduled one, so the client's first-use costs (JIT, first connections) are
/// not charged to the service; they are not in the report's figures but the server received them.
/// </summary>
/// <param name="Requests">Warm-up requests sent.</param>
/// <param name="Failed">Of those, how many failed (a target that is down fails them; the run goes on).</param>
/// <param name="DurationMs">How long the warm-up took.</param>
public sealed record WarmUpReport(long Requests, long Failed, double DurationMs);
