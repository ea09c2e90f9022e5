using System.Net;
using Docker.DotNet;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// Tells which product serves the Docker Engine API, from what the engine itself reports (GET /info's OperatingSystem
/// and Name, GET /version's components) and where it was reached: no product's CLI is run or assumed installed.
/// </summary>
public static class ContainerEngineDetector
{
    /// <summary>Asks the engine at <paramref name="endpoint"/>; a <see cref="DockerUnavailableException"/> when it does not answer.</summary>
    public static async Task<ContainerEngine> DetectAsync(IDockerClient docker, DockerEndpoint endpoint, CancellationToken cancellationToken)
    {
        var info = await docker.System.GetSystemInfoAsync(cancellationToken).ConfigureAwait(false);
        var version = await docker.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        var components = (version.Components ?? []).Select(c => c.Name ?? "").ToList();
        var kind = Classify(info.OperatingSystem ?? "", info.Name ?? "", components, endpoint.Uri, OperatingSystem.IsLinux());
        return new ContainerEngine(kind, info.OperatingSystem ?? "", info.ServerVersion ?? version.Version ?? "", endpoint.ToString());
    }

    /// <summary>
    /// The product, from the engine's report. Each product marks itself differently: Docker Desktop and OrbStack in the
    /// OperatingSystem, Rancher Desktop in its WSL distribution's OperatingSystem or its Lima VM's host name, Colima in
    /// its VM's host name (<c>colima</c>, <c>colima-&lt;profile&gt;</c>), Podman as the "Podman Engine" component. The
    /// socket each product's docker context points at (~/.colima/, ~/.rd/, ~/.orbstack/, podman's machine socket)
    /// settles what the report leaves open.
    /// </summary>
    public static ContainerEngineKind Classify(string operatingSystem, string name, IReadOnlyList<string> components, Uri endpoint, bool hostIsLinux)
    {
        var socket = endpoint.Scheme == "unix" ? endpoint.LocalPath : "";
        if (components.Any(c => c.StartsWith("Podman", StringComparison.OrdinalIgnoreCase)) || socket.Contains("podman", StringComparison.OrdinalIgnoreCase))
        {
            return ContainerEngineKind.Podman;
        }

        if (operatingSystem.Contains("Docker Desktop", StringComparison.OrdinalIgnoreCase))
        {
            return ContainerEngineKind.DockerDesktop;
        }

        if (operatingSystem.Contains("Rancher Desktop", StringComparison.OrdinalIgnoreCase) || name.Contains("rancher-desktop", StringComparison.OrdinalIgnoreCase)
            || socket.Contains("/.rd/", StringComparison.Ordinal))
        {
            return ContainerEngineKind.RancherDesktop;
        }

        if (operatingSystem.Contains("OrbStack", StringComparison.OrdinalIgnoreCase) || socket.Contains("/.orbstack/", StringComparison.Ordinal))
        {
            return ContainerEngineKind.OrbStack;
        }

        if (name.Equals("colima", StringComparison.OrdinalIgnoreCase) || name.StartsWith("colima-", StringComparison.OrdinalIgnoreCase)
            || socket.Contains("/.colima/", StringComparison.Ordinal))
        {
            return ContainerEngineKind.Colima;
        }

        // A plain dockerd: on this host only through a local socket or loopback TCP, and only a Linux host runs it natively
        // (a plain dockerd answering a macOS or Windows host is in some VM or machine we cannot share networks with).
        var local = endpoint.Scheme is "unix" or "npipe" || (endpoint.Scheme is "tcp" or "http" or "https" && IsLoopback(endpoint.Host));
        return local && hostIsLinux ? ContainerEngineKind.NativeDockerd : ContainerEngineKind.RemoteDockerd;
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
