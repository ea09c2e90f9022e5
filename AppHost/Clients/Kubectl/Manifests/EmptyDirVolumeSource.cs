namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A scratch volume that lives as long as the pod.</summary>
public sealed record EmptyDirVolumeSource
{
    /// <summary>The <c>medium</c> field.</summary>
    public string? Medium { get; init; }

    /// <summary>The <c>sizeLimit</c> field.</summary>
    public string? SizeLimit { get; init; }
}
