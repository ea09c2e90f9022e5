using System.Net;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Resources.Deployment;
using k8s.Models;

namespace DevEnv.AppHost.Tests.HotReload;

/// <summary>
/// What the deployment resource renders for Hot Reload: an image built from dotnet-watch's build gets the runtime's
/// modifiable mode, the agent as startup hook, the channel URL of its workload and tag, and the key through the
/// workload's Secret (never inline), and the inner loop's rollout; any other image gets none of it, and the Service
/// never gets the channel.
/// </summary>
public sealed class PodHotReloadEnvironmentTests : IDisposable
{
    private const string AgentTag = "src-5e1f00aa12bc";
    private const string OtherTag = "src-77aa00bb12cd";
    private readonly TestResources _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task An_agent_image_gets_the_channel_and_its_key_from_the_Secret_and_no_other_image_does()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var key = ChannelKey.CreateEphemeral();
        await using var channel = new PodUpdateChannel(new IPEndPoint(IPAddress.Loopback, 0), key, _ => { });
        channel.Start();
        var environment = new PodHotReloadEnvironment(channel, key);
        environment.AddAgentImage(AgentTag);
        var image = $"localhost:45001/sampleapi:{AgentTag}";
        var resource = new DeploymentResource("sampleapi", _env.Settings, new KubernetesClient(_env.Settings.KubeconfigPath, _env.Settings.KubeContext), () => image, () => "r1")
        {
            HotReload = environment,
        };

        var applied = await resource.ObjectsAsync(withSecretValues: true, cancellation);
        var deployment = applied.OfType<V1Deployment>().Single();
        var container = deployment.Spec.Template.Spec.Containers.Single();
        // dotnet-watch's builds roll out the inner loop's way: every replica surges at once, readiness every second.
        Assert.Equal("100%", deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal(1, container.ReadinessProbe.PeriodSeconds);
        var env = container.Env.ToDictionary(e => e.Name);
        Assert.Equal("debug", env["DOTNET_MODIFIABLE_ASSEMBLIES"].Value);
        Assert.Equal(DeltaApplierFile.PathInImage, env["DOTNET_STARTUP_HOOKS"].Value);
        Assert.Equal(channel.UrlFor("sampleapi", AgentTag), env[PodHotReloadEnvironment.EndpointVariable].Value);
        var keyRef = env[PodHotReloadEnvironment.KeyVariable];
        Assert.Null(keyRef.Value);
        var secret = applied.OfType<V1Secret>().Single();
        Assert.Equal(secret.Metadata.Name, keyRef.ValueFrom.SecretKeyRef.Name);
        Assert.Equal(key.PublicKey, secret.StringData[keyRef.ValueFrom.SecretKeyRef.Key]);
        // The pod dials out: no port of the channel on the container or the Service.
        var service = applied.OfType<V1Service>().Single();
        Assert.DoesNotContain(service.Spec.Ports, p => p.Port == channel.Endpoint.Port);
        Assert.DoesNotContain(container.Ports, p => p.ContainerPort == channel.Endpoint.Port);

        // What `manifests` prints: valid, and without the key.
        var printed = ManifestYaml.Join(await resource.RenderManifestsAsync(cancellation));
        Assert.Empty(KubernetesSchema.Instance.Validate(printed));
        Assert.DoesNotContain(key.PublicKey, printed, StringComparison.Ordinal);
        Assert.Contains(PodHotReloadEnvironment.KeyVariable, printed, StringComparison.Ordinal);

        image = $"localhost:45001/sampleapi:{OtherTag}";
        var other = await resource.ObjectsAsync(withSecretValues: true, cancellation);
        var otherDeployment = other.OfType<V1Deployment>().Single();
        var otherEnv = otherDeployment.Spec.Template.Spec.Containers.Single().Env.Select(e => e.Name).ToList();
        Assert.Equal("1", otherDeployment.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal(2, otherDeployment.Spec.Template.Spec.Containers.Single().ReadinessProbe.PeriodSeconds);
        Assert.DoesNotContain("DOTNET_STARTUP_HOOKS", otherEnv);
        Assert.DoesNotContain(PodHotReloadEnvironment.EndpointVariable, otherEnv);
        Assert.Empty(other.OfType<V1Secret>());
    }
}
