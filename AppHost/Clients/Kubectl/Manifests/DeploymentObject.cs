namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>An apps/v1 Deployment. Property order is the YAML field order.</summary>
public sealed record DeploymentObject
{
    /// <summary>Always <c>apps/v1</c>.</summary>
    public string ApiVersion { get; init; } = "apps/v1";

    /// <summary>Always <c>Deployment</c>.</summary>
    public string Kind { get; init; } = "Deployment";

    /// <summary>The <c>metadata</c> field.</summary>
    public required ObjectMeta Metadata { get; init; }

    /// <summary>The <c>spec</c> field.</summary>
    public required DeploymentSpec Spec { get; init; }
}
