namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>The pod template of a workload.</summary>
public sealed record PodTemplateSpec
{
    /// <summary>The <c>metadata</c> field.</summary>
    public ObjectMeta? Metadata { get; init; }

    /// <summary>The <c>spec</c> field.</summary>
    public PodSpec? Spec { get; init; }
}
