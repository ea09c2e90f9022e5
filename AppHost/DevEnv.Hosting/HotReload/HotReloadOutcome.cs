namespace DevEnv.Hosting.HotReload;

/// <summary>
/// One save carried into the pods by Hot Reload: when the newest source was written, how long until every pod had
/// applied it (<see cref="SaveToApplied"/>: dotnet-watch's compile included), how many pods got it and applied it.
/// </summary>
public sealed record HotReloadOutcome(DateTimeOffset SavedAt, TimeSpan SaveToApplied, int Pods, int Applied, long DeltaBytes, IReadOnlyList<PodApply> Answers)
{
    /// <summary>The line for the console and the dashboard, e.g. "Hot Reload: save → applied in 3/3 pods 0.9 s (2.1 KB of deltas)".</summary>
    public string Summary =>
        $"Hot Reload: save → applied in {Applied}/{Pods} pod(s) {SaveToApplied.TotalSeconds:0.0} s ({DeltaBytes / 1024.0:0.0} KB of deltas)"
        + string.Concat(Answers.Where(a => !a.Applied).Select(a => $"; {a.Address} refused: {a.Error ?? string.Join(" ", a.Log)}"));
}
