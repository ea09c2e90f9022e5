namespace DevEnv.Hosting.Clients.Kind;

/// <summary>What <c>kind create cluster</c> is asked to create.</summary>
/// <param name="Name">Cluster name (<c>--name</c>).</param>
/// <param name="ConfigPath">The rendered kind config file (<c>--config</c>).</param>
/// <param name="KubeconfigPath">Our own kubeconfig (<c>--kubeconfig</c>), so the user's is never written.</param>
/// <param name="Image">Node image (<c>--image</c>); null leaves it to the config file.</param>
/// <param name="Wait">How long kind waits for the control plane (<c>--wait</c>); null does not wait.</param>
/// <param name="Network">Docker network for the nodes; null is kind's default "kind" (passed as KIND_EXPERIMENTAL_DOCKER_NETWORK).</param>
public sealed record KindCreateOptions(string Name, string ConfigPath, string KubeconfigPath, string? Image = null, TimeSpan? Wait = null, string? Network = null);
