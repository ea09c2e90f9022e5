namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>How a Deployment replaces old pods.</summary>
public sealed record DeploymentStrategy
{
    /// <summary>The <c>type</c> field.</summary>
    public string? Type { get; init; }

    /// <summary>The <c>rollingUpdate</c> field.</summary>
    public RollingUpdateDeployment? RollingUpdate { get; init; }
}
