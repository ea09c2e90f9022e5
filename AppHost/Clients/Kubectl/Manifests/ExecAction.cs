namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A command run inside the container.</summary>
public sealed record ExecAction
{
    /// <summary>The <c>command</c> field.</summary>
    public IReadOnlyList<string>? Command { get; init; }
}
