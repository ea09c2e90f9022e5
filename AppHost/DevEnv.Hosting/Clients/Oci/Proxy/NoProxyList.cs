using System.Net;

namespace DevEnv.Hosting.Clients.Oci.Proxy;

/// <summary>
/// The hosts of <c>NO_PROXY</c>: <c>*</c> (everything), a host name (that host and its subdomains, as curl and Go
/// match "example.com" and ".example.com"), an IP address or a CIDR range; any of them with <c>:port</c> to bypass
/// only that port. Case-insensitive. Pure.
/// </summary>
public sealed class NoProxyList
{
    private readonly List<(string Host, int? Port)> _names = [];
    private readonly List<(IPNetwork Network, int? Port)> _networks = [];
    private bool _all;

    /// <summary>Parses a NO_PROXY value (null or empty: nothing bypassed).</summary>
    public static NoProxyList Parse(string? value)
    {
        var list = new NoProxyList();
        foreach (var raw in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw == "*")
            {
                list._all = true;
                continue;
            }

            var (host, port) = SplitPort(raw);
            if (host.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(host, out var network))
            {
                list._networks.Add((network, port));
            }
            else if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
            {
                list._networks.Add((new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128), port));
            }
            else
            {
                list._names.Add((host.TrimStart('*').TrimStart('.').ToLowerInvariant(), port));
            }
        }

        return list;
    }

    /// <summary>True when <paramref name="host"/>:<paramref name="port"/> goes direct.</summary>
    public bool Matches(string host, int port)
    {
        if (_all)
        {
            return true;
        }

        var name = host.Trim('[', ']').ToLowerInvariant();
        if (IPAddress.TryParse(name, out var address))
        {
            return _networks.Any(n => (n.Port is null || n.Port == port) && n.Network.Contains(address));
        }

        return _names.Any(n => (n.Port is null || n.Port == port) && (name == n.Host || name.EndsWith("." + n.Host, StringComparison.Ordinal)));
    }

    // "host:port", "[::1]:port", "10.0.0.0/8"; a bare IPv6 address has colons but no port.
    private static (string Host, int? Port) SplitPort(string entry)
    {
        if (entry.StartsWith('['))
        {
            var end = entry.IndexOf(']', StringComparison.Ordinal);
            return end > 0 && end + 2 < entry.Length && entry[end + 1] == ':' && int.TryParse(entry[(end + 2)..], out var p6) ? (entry[1..end], p6) : (entry.Trim('[', ']'), null);
        }

        var colon = entry.LastIndexOf(':');
        return colon > 0 && entry.IndexOf(':', StringComparison.Ordinal) == colon && int.TryParse(entry[(colon + 1)..], out var port)
            ? (entry[..colon], port)
            : (entry, null);
    }
}
