using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Hosting.AppModel;

/// <summary>
/// A resource's Aspire endpoints as ports in the cluster, as Aspire's Kubernetes publisher maps them: an endpoint with a
/// target port keeps it; a project's http endpoint without one listens on 8080 (the next ones on 8082, 8083, ...: 8081
/// is the management port); a project's https endpoint without one is left out, because TLS does not run inside the
/// cluster and clients asking for <c>https+http://</c> fall back to http. The Service exposes each port under its
/// own number, so an endpoint's address in the cluster is <c>&lt;scheme&gt;://&lt;resource&gt;:&lt;target port&gt;</c>.
/// </summary>
public static class ClusterEndpoints
{
    /// <summary>The port of a project's first http endpoint (ASPNETCORE_HTTP_PORTS in the image).</summary>
    public const int HttpPort = Resources.Deployment.AppContract.HttpPort;

    /// <summary>The endpoint Aspire's publish mode gives a web project that declares none.</summary>
    public const string DefaultEndpointName = "http";

    /// <summary>The ports of <paramref name="resource"/>, in the order its endpoints were declared.</summary>
    public static IReadOnlyList<WorkloadPort> For(IResource resource) => Map(resource).Ports;

    /// <summary>The endpoints of <paramref name="resource"/> that the cluster leaves out (a project's https without a port).</summary>
    public static IReadOnlySet<string> Dropped(IResource resource) => Map(resource).Dropped;

    private static (IReadOnlyList<WorkloadPort> Ports, IReadOnlySet<string> Dropped) Map(IResource resource)
    {
        var ports = new List<WorkloadPort>();
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var nextProjectPort = FirstExtraPort;
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            int port;
            if (endpoint.TargetPort is { } target)
            {
                port = target;
            }
            else if (resource is ProjectResource)
            {
                if (endpoint.UriScheme == "https")
                {
                    dropped.Add(endpoint.Name);
                    continue;
                }

                port = ports.Any(p => p.Port == HttpPort) ? nextProjectPort++ : HttpPort;
            }
            else if (endpoint.Port is { } hostPort)
            {
                port = hostPort;
            }
            else
            {
                dropped.Add(endpoint.Name);
                continue;
            }

            ports.Add(new WorkloadPort(PortName(endpoint.Name, names), port, endpoint.UriScheme, endpoint.Protocol == ProtocolType.Udp ? "UDP" : "TCP", EndpointName: endpoint.Name));
        }

        return (ports, dropped);
    }

    /// <summary>The first port after 8080 and the management port that extra project endpoints get.</summary>
    public const int FirstExtraPort = Resources.Deployment.AppContract.ManagementPort + 1;

    // Kubernetes port names: at most 15 lower-case letters, digits and '-', with a letter, unique in the pod.
    private static string PortName(string endpoint, HashSet<string> taken)
    {
        var chars = endpoint.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var name = new string(chars).Trim('-');
        name = name.Length == 0 || !name.Any(char.IsAsciiLetter) ? "port" : name;
        name = name.Length > 15 ? name[..15].TrimEnd('-') : name;
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            var suffix = "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            candidate = (name.Length + suffix.Length > 15 ? name[..(15 - suffix.Length)] : name) + suffix;
        }

        return candidate;
    }
}
