namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>One request of a load run: when it was sent and finished (test clock), and how it ended.</summary>
public sealed record RequestOutcome(string Path, TimeSpan SentAt, TimeSpan CompletedAt, int? Status, bool ConnectionClose, string? Error)
{
    /// <summary>True for a 200 answer.</summary>
    public bool Succeeded => Status == 200;

    public override string ToString() =>
        $"{Path} sent {SentAt.TotalMilliseconds:0} ms, done {CompletedAt.TotalMilliseconds:0} ms: {(Status?.ToString() ?? Error)}";
}
