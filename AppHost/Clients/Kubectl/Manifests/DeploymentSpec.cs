namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Spec of a Deployment.</summary>
public sealed record DeploymentSpec
{
    /// <summary>The <c>replicas</c> field.</summary>
    public int? Replicas { get; init; }

    /// <summary>The <c>revisionHistoryLimit</c> field.</summary>
    public int? RevisionHistoryLimit { get; init; }

    /// <summary>The <c>progressDeadlineSeconds</c> field.</summary>
    public int? ProgressDeadlineSeconds { get; init; }

    /// <summary>The <c>selector</c> field.</summary>
    public LabelSelector? Selector { get; init; }

    /// <summary>The <c>strategy</c> field.</summary>
    public DeploymentStrategy? Strategy { get; init; }

    /// <summary>The <c>template</c> field.</summary>
    public PodTemplateSpec? Template { get; init; }
}
