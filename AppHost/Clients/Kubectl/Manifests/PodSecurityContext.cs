namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Pod-level security settings.</summary>
public sealed record PodSecurityContext
{
    /// <summary>The <c>runAsNonRoot</c> field.</summary>
    public bool? RunAsNonRoot { get; init; }

    /// <summary>The <c>runAsUser</c> field.</summary>
    public long? RunAsUser { get; init; }

    /// <summary>The <c>runAsGroup</c> field.</summary>
    public long? RunAsGroup { get; init; }

    /// <summary>The <c>seccompProfile</c> field.</summary>
    public SeccompProfile? SeccompProfile { get; init; }
}
