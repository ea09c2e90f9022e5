namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Spec of a pod.</summary>
public sealed record PodSpec
{
    /// <summary>The <c>automountServiceAccountToken</c> field.</summary>
    public bool? AutomountServiceAccountToken { get; init; }

    /// <summary>The <c>enableServiceLinks</c> field.</summary>
    public bool? EnableServiceLinks { get; init; }

    /// <summary>The <c>terminationGracePeriodSeconds</c> field.</summary>
    public int? TerminationGracePeriodSeconds { get; init; }

    /// <summary>The <c>securityContext</c> field.</summary>
    public PodSecurityContext? SecurityContext { get; init; }

    /// <summary>The <c>containers</c> field.</summary>
    public IReadOnlyList<Container>? Containers { get; init; }

    /// <summary>The <c>volumes</c> field.</summary>
    public IReadOnlyList<Volume>? Volumes { get; init; }
}
