namespace DevEnv.AppHost.Clients.Docker;

/// <summary>What POST /containers/create takes: the container's config plus its host config.</summary>
public sealed record ContainerCreateSpec
{
    /// <summary>The container's configuration.</summary>
    public required ContainerConfig Config { get; init; }

    /// <summary>Ports, mounts and hardening.</summary>
    public HostConfig HostConfig { get; init; } = new();
}
