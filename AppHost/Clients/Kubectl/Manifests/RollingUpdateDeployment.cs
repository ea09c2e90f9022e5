namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Rolling update bounds, as pod counts.</summary>
public sealed record RollingUpdateDeployment
{
    /// <summary>The <c>maxSurge</c> field.</summary>
    public int? MaxSurge { get; init; }

    /// <summary>The <c>maxUnavailable</c> field.</summary>
    public int? MaxUnavailable { get; init; }
}
