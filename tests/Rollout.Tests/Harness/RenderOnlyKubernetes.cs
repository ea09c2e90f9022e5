using System.Reflection;
using DevEnv.Hosting.Clients.Kubernetes;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// The Kubernetes client handed to the product's <c>DeploymentResource</c> when the harness only asks it to render:
/// there is no cluster, so every call fails loudly rather than answering something nobody told it.
/// </summary>
public class RenderOnlyKubernetes : DispatchProxy
{
    /// <summary>A client on which every call throws.</summary>
    public static IKubernetesClient Create() => Create<IKubernetesClient, RenderOnlyKubernetes>();

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        throw new InvalidOperationException($"the rollout harness renders manifests only; no cluster call is expected, got {targetMethod?.Name}");
}
