namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>Where a volume is mounted in a container.</summary>
public sealed record VolumeMount
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>mountPath</c> field.</summary>
    public string? MountPath { get; init; }
}
