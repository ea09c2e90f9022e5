namespace DevEnv.AppHost.Clients.Kubectl.Manifests;

/// <summary>One container of a pod.</summary>
public sealed record Container
{
    /// <summary>The <c>name</c> field.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>image</c> field.</summary>
    public string? Image { get; init; }

    /// <summary>The <c>imagePullPolicy</c> field.</summary>
    public string? ImagePullPolicy { get; init; }

    /// <summary>The <c>ports</c> field.</summary>
    public IReadOnlyList<ContainerPortSpec>? Ports { get; init; }

    /// <summary>The <c>env</c> field.</summary>
    public IReadOnlyList<EnvVar>? Env { get; init; }

    /// <summary>The <c>resources</c> field.</summary>
    public ResourceRequirements? Resources { get; init; }

    /// <summary>The <c>startupProbe</c> field.</summary>
    public Probe? StartupProbe { get; init; }

    /// <summary>The <c>readinessProbe</c> field.</summary>
    public Probe? ReadinessProbe { get; init; }

    /// <summary>The <c>livenessProbe</c> field.</summary>
    public Probe? LivenessProbe { get; init; }

    /// <summary>The <c>lifecycle</c> field.</summary>
    public Lifecycle? Lifecycle { get; init; }

    /// <summary>The <c>securityContext</c> field.</summary>
    public SecurityContext? SecurityContext { get; init; }

    /// <summary>The <c>volumeMounts</c> field.</summary>
    public IReadOnlyList<VolumeMount>? VolumeMounts { get; init; }
}
