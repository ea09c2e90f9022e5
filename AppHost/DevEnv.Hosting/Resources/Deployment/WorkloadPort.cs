namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// One endpoint of a workload as the cluster sees it: a container port, the same port on the workload's Service
/// (so the address in the cluster is <c>&lt;scheme&gt;://&lt;service&gt;:&lt;port&gt;</c>), and a node port when the
/// endpoint is external and the target maps node ports to the host.
/// </summary>
/// <param name="Name">The port's name in the pod and the Service (a DNS label of at most 15 characters).</param>
/// <param name="Port">The port the container listens on; also the Service's port.</param>
/// <param name="Scheme">The endpoint's URI scheme (http, https, tcp, redis, ...).</param>
/// <param name="Protocol">TCP or UDP.</param>
/// <param name="NodePort">The node port (mapped to the same port on 127.0.0.1 by kind), or null.</param>
/// <param name="EndpointName">The Aspire endpoint it comes from.</param>
public sealed record WorkloadPort(string Name, int Port, string Scheme = "http", string Protocol = "TCP", int? NodePort = null, string? EndpointName = null)
{
    /// <summary>Whether clients speak HTTP to it (http or https).</summary>
    public bool IsHttp => Scheme is "http" or "https";
}
