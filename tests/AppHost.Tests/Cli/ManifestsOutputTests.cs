using DevEnv.AppHost.Cli;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Resources.Cluster;
using DevEnv.AppHost.Resources.Deployment;
using DevEnv.AppHost.Resources.Image;
using DevEnv.AppHost.Resources.Registry;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>The <c>manifests</c> output of the environment Program.cs builds, with the product's own values.</summary>
public sealed class ManifestsOutputTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("devenv-manifests-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    // The same resources, in the same order, as Program.cs.
    private DevEnvironment Build()
    {
        var builder = new DevEnvironmentBuilder(new EnvironmentSettings { StateDirectory = _state });
        var registry = builder.AddRegistry();
        var image = builder.AddProjectImage(registry);
        var cluster = builder.AddKindCluster(registry);
        builder.AddSampleApiDeployment(image, cluster);
        return builder.Build();
    }

    [Fact]
    public async Task Program_manifests_are_byte_identical_run_to_run_and_the_kubernetes_objects_validate_against_1_36()
    {
        await using var first = Build();
        await using var second = Build();

        var documents = ManifestsVerb.Render(first);
        var once = ManifestsVerb.Join(documents);

        Assert.Equal(once, ManifestsVerb.Join(ManifestsVerb.Render(second)));
        Assert.Equal(4, documents.Count);
        Assert.StartsWith("kind: Cluster\n", documents[0]);
        var kubernetes = ManifestsVerb.Join(documents.Skip(1));
        Assert.Empty(KubernetesSchema.Instance.Validate(kubernetes));
        var objects = KubernetesYaml.LoadAllFromString(kubernetes);
        Assert.Equal(["ConfigMap", "Deployment", "Service"], objects.Cast<IKubernetesObject>().Select(o => o.Kind));
        var pod = ((V1Deployment)objects[1]).Spec.Template.Spec;
        Assert.Equal((AppContract.UserId, true), (pod.SecurityContext.RunAsUser, pod.Containers[0].SecurityContext.ReadOnlyRootFilesystem));
        Assert.Equal(31000, ((V1Service)objects[2]).Spec.Ports[0].NodePort);
    }
}
