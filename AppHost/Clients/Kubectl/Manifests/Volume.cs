namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A pod volume (emptyDir only).</summary>
public sealed record Volume
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>emptyDir</c> field.</summary>
    public EmptyDirVolumeSource? EmptyDir { get; init; }
}
