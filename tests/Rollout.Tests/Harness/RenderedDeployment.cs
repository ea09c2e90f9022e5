using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Resources.Deployment;
using k8s.Models;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// The Deployment and Service the AppHost would apply for an image, rendered by the product's own
/// <see cref="DeploymentResource"/> (the objects <c>up</c> applies and <c>manifests</c> prints), so the stand-in
/// kubelet runs the product's manifest, not numbers of the harness's own.
/// </summary>
/// <param name="Deployment">The rendered Deployment.</param>
/// <param name="Service">The rendered Service.</param>
/// <param name="Secret">The workload's Secret as applied (with its values), when it has one: what its <c>secretKeyRef</c>s read.</param>
public sealed record RenderedDeployment(V1Deployment Deployment, V1Service Service, V1Secret? Secret = null)
{
    /// <summary>
    /// SampleApi's Deployment and Service running <paramref name="image"/>, rendered with <paramref name="settings"/> (replicas
    /// and the rest), and with Hot Reload's variables when <paramref name="hotReload"/> says the image carries the agent.
    /// </summary>
    public static RenderedDeployment For(string image, EnvironmentSettings settings, PodHotReloadEnvironment? hotReload = null)
    {
        var resource = new DeploymentResource(DeploymentResource.SampleApiName + "-deployment", settings, RenderOnlyKubernetes.Create(), () => image, () => "rollout-harness")
        {
            HotReload = hotReload,
        };
        var objects = resource.ObjectsAsync(withSecretValues: true, CancellationToken.None).GetAwaiter().GetResult();
        return new RenderedDeployment(objects.OfType<V1Deployment>().Single(), objects.OfType<V1Service>().Single(), objects.OfType<V1Secret>().SingleOrDefault());
    }

    /// <summary>The stand-in's options: everything from this manifest.</summary>
    public HarnessOptions ToOptions() => HarnessOptions.FromDeployment(this);
}
