using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Hosting.AppModel;

/// <summary>Where a resource that runs in the cluster answers: its Service's name and ports.</summary>
/// <param name="Host">The Service's name: what the pods' DNS resolves in the same namespace.</param>
/// <param name="Ports">Its ports by endpoint.</param>
/// <param name="Dropped">Its endpoints that the cluster leaves out.</param>
public sealed record ServiceAddress(string Host, IReadOnlyList<WorkloadPort> Ports, IReadOnlySet<string> Dropped)
{
    /// <summary>The port of the Aspire endpoint <paramref name="endpointName"/>, or null.</summary>
    public WorkloadPort? Port(string endpointName) => Ports.FirstOrDefault(p => p.EndpointName == endpointName);
}
