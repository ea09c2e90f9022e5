namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// The engine DevEnv found, and what it means for the paths that cross between this host and kind's nodes: the pods'
/// telemetry (the gateway relay needs the kind network's gateway to be an address of this host) and the URLs
/// (published ports on 127.0.0.1 work under every local engine; a remote engine publishes them on its own machine).
/// </summary>
/// <param name="Kind">The product.</param>
/// <param name="OperatingSystem">The engine's OperatingSystem as GET /info reports it (for the message).</param>
/// <param name="ServerVersion">The engine's version.</param>
/// <param name="Endpoint">Where it was reached.</param>
public sealed record ContainerEngine(ContainerEngineKind Kind, string OperatingSystem, string ServerVersion, string Endpoint)
{
    /// <summary>The property name on the cluster resource, and the line in <c>status</c>.</summary>
    public const string Property = "engine";

    /// <summary>The product's name as users know it.</summary>
    public string DisplayName => Kind switch
    {
        ContainerEngineKind.NativeDockerd => "native dockerd",
        ContainerEngineKind.DockerDesktop => "Docker Desktop",
        ContainerEngineKind.RancherDesktop => "Rancher Desktop",
        ContainerEngineKind.Colima => "Colima",
        ContainerEngineKind.Podman => "Podman",
        ContainerEngineKind.OrbStack => "OrbStack",
        _ => "remote dockerd",
    };

    /// <summary>
    /// Whether this host can listen on the kind network's gateway, which the pods reach: only when dockerd runs on this
    /// Linux host (rootful Podman on Linux would too, but kind under Podman names its network differently and rootless
    /// Podman's gateway is inside a namespace, so Podman is treated as a VM).
    /// </summary>
    public bool GatewayRelayWorks => Kind == ContainerEngineKind.NativeDockerd;

    /// <summary>One line: the engine, then what it means for telemetry and for URLs.</summary>
    public string Summary => $"{DisplayName} {ServerVersion} ({OperatingSystem}) at {Endpoint}: " + (GatewayRelayWorks
        ? "pods' telemetry through the kind network's gateway on this host; URLs on 127.0.0.1 through kind's port mappings"
        : Kind == ContainerEngineKind.RemoteDockerd
            ? "the engine runs on another machine: the kind network's gateway and kind's port mappings are on that machine, not here; pods' telemetry needs the in-cluster receiver read through the Kubernetes API"
            : "the engine runs in a VM: this host cannot listen on the kind network's gateway, so pods' telemetry needs the in-cluster receiver read through the Kubernetes API; URLs on 127.0.0.1 through kind's port mappings (the VM forwards them)");
}
