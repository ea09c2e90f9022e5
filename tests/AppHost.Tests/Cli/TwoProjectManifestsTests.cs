using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Registry;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>
/// The README's "add one more AddProject(...).WithKindDeployment(...) line": an AppHost with two projects renders, through
/// the real `manifests` verb on the real Aspire model, one Deployment and Service each, with their own image
/// repositories, the first on its node port and the second ClusterIP.
/// </summary>
public sealed class TwoProjectManifestsTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("devenv-two-projects-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task A_second_project_gets_its_own_image_deployment_and_clusterip_service()
    {
        var sampleApi = Path.Combine(SourceRoot(), "SampleApi", "SampleApi.csproj");
        var builder = DevEnvApplication.CreateBuilder(["manifests", $"--DEVENV_STATE_DIR={_state}"]);
        var registry = builder.AddLocalRegistry("registry");
        var cluster = builder.AddKindCluster("cluster").WithRegistry(registry);
        Aspire.Hosting.ProjectResourceBuilderExtensions.AddProject(builder, "sampleapi", sampleApi).WithKindDeployment(cluster, registry, nodePort: 31000);
        Aspire.Hosting.ProjectResourceBuilderExtensions.AddProject(builder, "inventory", sampleApi).WithKindDeployment(cluster, registry);
        await using var app = builder.Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await VerbRunner.RunAsync(app, new CliConsole(output, error, Interactive: false));

        Assert.True(exitCode == 0, error.ToString());
        var documents = output.ToString().Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        var kubernetes = ManifestsVerb.Join(documents.Skip(1));
        Assert.Empty(KubernetesSchema.Instance.Validate(kubernetes));
        var objects = KubernetesYaml.LoadAllFromString(kubernetes).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        var deployments = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        var services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        Assert.Equal(["inventory", "sampleapi"], deployments.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("/inventory:", deployments["inventory"].Spec.Template.Spec.Containers.Single().Image, StringComparison.Ordinal);
        Assert.Contains("/sampleapi:", deployments["sampleapi"].Spec.Template.Spec.Containers.Single().Image, StringComparison.Ordinal);
        Assert.Equal(("NodePort", 31000), (services["sampleapi"].Spec.Type, services["sampleapi"].Spec.Ports.Single().NodePort));
        Assert.Equal("ClusterIP", services["inventory"].Spec.Type);
        Assert.Null(services["inventory"].Spec.Ports.Single().NodePort);
        Assert.Equal("inventory", deployments["inventory"].Spec.Selector.MatchLabels[WorkloadManifests.NameLabel]);
    }

    private static string SourceRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "DevEnv.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("DevEnv.sln not found above " + AppContext.BaseDirectory);
    }
}
