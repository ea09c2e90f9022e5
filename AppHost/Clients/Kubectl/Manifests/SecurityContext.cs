namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Container-level security settings.</summary>
public sealed record SecurityContext
{
    /// <summary>The <c>allowPrivilegeEscalation</c> field.</summary>
    public bool? AllowPrivilegeEscalation { get; init; }

    /// <summary>The <c>readOnlyRootFilesystem</c> field.</summary>
    public bool? ReadOnlyRootFilesystem { get; init; }

    /// <summary>The <c>runAsNonRoot</c> field.</summary>
    public bool? RunAsNonRoot { get; init; }

    /// <summary>The <c>runAsUser</c> field.</summary>
    public long? RunAsUser { get; init; }

    /// <summary>The <c>runAsGroup</c> field.</summary>
    public long? RunAsGroup { get; init; }

    /// <summary>The <c>capabilities</c> field.</summary>
    public Capabilities? Capabilities { get; init; }

    /// <summary>The <c>seccompProfile</c> field.</summary>
    public SeccompProfile? SeccompProfile { get; init; }
}
