namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>A cluster node and whether its Ready condition is True.</summary>
/// <param name="Name">Node name (the kind node container's name).</param>
/// <param name="Ready">Whether the node is Ready.</param>
/// <param name="KubeletVersion">The kubelet version, e.g. "v1.36.1".</param>
public sealed record NodeState(string Name, bool Ready, string? KubeletVersion);
