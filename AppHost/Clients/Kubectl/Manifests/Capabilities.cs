namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Linux capabilities to add or drop.</summary>
public sealed record Capabilities
{
    /// <summary>The <c>drop</c> field.</summary>
    public IReadOnlyList<string>? Drop { get; init; }
}
