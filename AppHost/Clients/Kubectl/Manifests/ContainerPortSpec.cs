namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>A port a container listens on.</summary>
public sealed record ContainerPortSpec
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>containerPort</c> field.</summary>
    public int? ContainerPort { get; init; }

    /// <summary>The <c>protocol</c> field.</summary>
    public string? Protocol { get; init; }
}
