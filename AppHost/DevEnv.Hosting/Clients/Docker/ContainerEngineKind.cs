namespace DevEnv.Hosting.Clients.Docker;

/// <summary>Which product answers on the Docker Engine API: it decides whether the host shares the engine's networks.</summary>
public enum ContainerEngineKind
{
    /// <summary>dockerd running on this Linux host itself: its bridge networks' gateways are addresses of this host.</summary>
    NativeDockerd,

    /// <summary>Docker Desktop (macOS, Windows, Linux): the engine runs in a VM.</summary>
    DockerDesktop,

    /// <summary>Rancher Desktop (moby or its WSL distribution): the engine runs in a VM.</summary>
    RancherDesktop,

    /// <summary>Colima (Lima VM on macOS or Linux).</summary>
    Colima,

    /// <summary>Podman's Docker-compatible API (podman machine, or podman on this Linux host).</summary>
    Podman,

    /// <summary>OrbStack (macOS VM).</summary>
    OrbStack,

    /// <summary>A dockerd on another machine (DOCKER_HOST=tcp:// or ssh to a non-loopback host).</summary>
    RemoteDockerd,
}
