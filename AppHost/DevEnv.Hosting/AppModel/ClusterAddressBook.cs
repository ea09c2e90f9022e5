using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Hosting.AppModel;

/// <summary>
/// The Service of every resource that runs in the cluster, with its ports, and the node ports of the external ones.
/// Node ports come from the range kind maps to 127.0.0.1: first the ones asked for by <c>WithKindDeployment(nodePort:)</c>,
/// then one per http endpoint marked <c>WithExternalHttpEndpoints()</c>, in the order of the model, so the same
/// Program.cs always gives the same URLs. On a target without host ports (a remote cluster) nothing gets one.
/// </summary>
public sealed class ClusterAddressBook
{
    private readonly Dictionary<IResource, ServiceAddress> _addresses = [];
    private readonly List<(IResource Resource, string Line)> _notes = [];

    /// <summary>Maps <paramref name="workloads"/>; <paramref name="hostPorts"/> is the node-port range that reaches the host (empty: none).</summary>
    public ClusterAddressBook(IReadOnlyList<IResource> workloads, IReadOnlyList<int> hostPorts)
    {
        var free = new SortedSet<int>(hostPorts);
        var taken = new HashSet<int>();
        var asked = new Dictionary<IResource, int>();
        foreach (var resource in workloads)
        {
            if (resource.Annotations.OfType<ClusterWorkloadAnnotation>().LastOrDefault()?.NodePort is { } port && hostPorts.Count > 0)
            {
                asked[resource] = port;
                free.Remove(port);
                taken.Add(port);
            }
        }

        foreach (var resource in workloads)
        {
            var externalEndpoints = resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.IsExternal).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            var ports = new List<WorkloadPort>();
            var firstHttp = true;
            foreach (var port in ClusterEndpoints.For(resource))
            {
                int? nodePort = null;
                if (port.IsHttp && firstHttp && asked.TryGetValue(resource, out var fixedPort))
                {
                    nodePort = fixedPort;
                }
                else if (port.IsHttp && port.EndpointName is { } endpoint && externalEndpoints.Contains(endpoint) && free.Count > 0)
                {
                    nodePort = free.Min;
                    free.Remove(free.Min);
                }
                else if (port.IsHttp && port.EndpointName is { } unplaced && externalEndpoints.Contains(unplaced))
                {
                    _notes.Add((resource, $"{resource.Name}'s '{unplaced}' endpoint has no 127.0.0.1 port: all {hostPorts.Count} node ports from {hostPorts.FirstOrDefault()} are taken (raise DEVENV_NODE_PORT_COUNT, then recreate the cluster)"));
                }

                firstHttp &= !port.IsHttp;
                ports.Add(port with { NodePort = nodePort });
            }

            _addresses[resource] = new ServiceAddress(resource.Name.ToLowerInvariant(), ports, ClusterEndpoints.Dropped(resource));
        }
    }

    /// <summary>Every resource's Service.</summary>
    public IReadOnlyDictionary<IResource, ServiceAddress> All => _addresses;

    /// <summary>The external endpoints of <paramref name="resource"/> that found no node port, one line each (for its log).</summary>
    public IReadOnlyList<string> NotesFor(IResource resource) => [.. _notes.Where(n => n.Resource == resource).Select(n => n.Line)];

    /// <summary>The Service of <paramref name="resource"/>.</summary>
    public ServiceAddress this[IResource resource] => _addresses[resource];
}
