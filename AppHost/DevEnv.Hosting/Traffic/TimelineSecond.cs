namespace DevEnv.Hosting.Traffic;

/// <summary>One second of a run, by scheduled send time: what was sent, how it ended, and its p99 latency (null when nothing succeeded).</summary>
public sealed record TimelineSecond(int Second, long Sent, long Ok, long Failed, double? P99Ms);
