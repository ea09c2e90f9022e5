using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>The <c>manifests</c> output of the environment Program.cs builds, with the product's own values.</summary>
public sealed class ManifestsOutputTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("devenv-manifests-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    // Program.cs's environment, as `dotnet run --project AppHost -- manifests` renders it.
    private async Task<string> RenderAsync()
    {
        var result = await new ProcessRunner().RunAsync(
            AppHostProcess.Spec(["manifests"], new Dictionary<string, string?> { ["DEVENV_STATE_DIR"] = _state }), ResourceLog.None, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, "manifests failed:\n" + result.Error);
        return result.Output;
    }

    [Fact]
    public async Task Program_manifests_are_byte_identical_run_to_run_and_the_kubernetes_objects_validate_against_1_36()
    {
        var once = await RenderAsync();
        Assert.Equal(once, await RenderAsync());

        var documents = once.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, documents.Length);
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
