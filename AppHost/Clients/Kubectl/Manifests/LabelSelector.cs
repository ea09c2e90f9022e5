namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A label selector (matchLabels only).</summary>
public sealed record LabelSelector
{
    /// <summary>The <c>matchLabels</c> field.</summary>
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }
}
