using System.Net;
using System.Net.Sockets;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>The host's address on the Docker network kind puts its nodes on: the one address of ours the pods can reach.</summary>
public static class KindNetworkGateway
{
    /// <summary>The network kind creates and joins its nodes to.</summary>
    public const string NetworkName = "kind";

    /// <summary>
    /// The network's IPv4 gateway, or null when the network does not exist or has none. A network whose IPAM entry names
    /// its subnet but no gateway (Docker 20.10's default bridge after a daemon restart) has the gateway Docker gives
    /// such a network: the subnet's first address.
    /// </summary>
    public static async Task<IPAddress?> FindAsync(IDockerClient docker, string network, CancellationToken cancellationToken)
    {
        try
        {
            var inspect = await docker.Networks.InspectNetworkAsync(network, cancellationToken).ConfigureAwait(false);
            return (inspect.IPAM?.Config ?? [])
                .Select(c => IPAddress.TryParse(c.Gateway, out var address) ? address : FirstAddressOf(c.Subnet))
                .FirstOrDefault(a => a is { AddressFamily: AddressFamily.InterNetwork });
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static IPAddress? FirstAddressOf(string? subnet)
    {
        if (!IPNetwork.TryParse(subnet, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork || network.PrefixLength > 30)
        {
            return null;
        }

        var bytes = network.BaseAddress.GetAddressBytes();
        bytes[3]++;
        return new IPAddress(bytes);
    }
}
