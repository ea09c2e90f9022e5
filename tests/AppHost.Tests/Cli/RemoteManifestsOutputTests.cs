using System.Text;
using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.RemoteCluster;
using DevEnv.Hosting.Resources.Telemetry.Receiver;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>
/// <c>manifests</c> of Program.cs for a remote target (DEVENV_REGISTRY, DEVENV_KUBE_CONTEXT): no kind config, the
/// namespace, the pull Secret redacted and referenced, the remote image, ClusterIP unless asked; valid for 1.36.
/// </summary>
public sealed class RemoteManifestsOutputTests : IDisposable
{
    private const string Password = "docker-config-secret-991";
    private readonly string _state = Directory.CreateTempSubdirectory("devenv-remote-manifests-").FullName;

    public RemoteManifestsOutputTests()
    {
        // A docker config with a real-looking secret: manifests must not print it (nor its base64).
        File.WriteAllText(Path.Combine(_state, "config.json"),
            "{\"auths\":{\"registry.example.com:5443\":{\"auth\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:" + Password)) + "\"}}}");
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Remote_manifests_validate_against_1_36_with_namespace_redacted_pull_secret_remote_image_and_no_kind_config()
    {
        var output = await RenderAsync([]);
        Assert.Equal(output, await RenderAsync([]));

        Assert.DoesNotContain("kind: Cluster", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:" + Password)), output, StringComparison.Ordinal);
        Assert.Empty(KubernetesSchema.Instance.Validate(output));
        var objects = KubernetesYaml.LoadAllFromString(output).Cast<IKubernetesObject<V1ObjectMeta>>().ToArray();
        // A remote target always sends the pods' telemetry to the in-cluster receiver: its objects come before the app's.
        Assert.Equal(["Namespace/devenv-demo", "Secret/demo-registry", "Secret/devenv-telemetry", "Deployment/devenv-telemetry", "Service/devenv-telemetry", "Deployment/sampleapi", "Service/sampleapi"],
            objects.Select(o => $"{o.Kind}/{o.Metadata.Name}"));
        Assert.StartsWith("registry.example.com:5443/team/devenv/devenv-telemetry-receiver:", ((V1Deployment)objects[3]).Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
        Assert.Null(((V1Secret)objects[2]).Data);
        objects = [.. objects.Where(o => o.Metadata.Name != ReceiverManifests.Name)];
        var secret = (V1Secret)objects[1];
        Assert.Equal(("kubernetes.io/dockerconfigjson", "devenv-demo"), (secret.Type, secret.Metadata.NamespaceProperty));
        Assert.True(RemoteTargetManifests.IsRedacted(secret));
        var deployment = (V1Deployment)objects[2];
        Assert.Equal("devenv-demo", deployment.Metadata.NamespaceProperty);
        Assert.Equal("demo-registry", Assert.Single(deployment.Spec.Template.Spec.ImagePullSecrets).Name);
        Assert.StartsWith("registry.example.com:5443/team/devenv/sampleapi", deployment.Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
        Assert.DoesNotContain(":latest", deployment.Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
        var service = (V1Service)objects[3];
        Assert.Equal(("ClusterIP", null), (service.Spec.Type, service.Spec.Ports[0].NodePort));
    }

    [Fact]
    public async Task DEVENV_PULL_SECRET_none_drops_the_secret_and_NodePort_is_only_there_when_asked_for()
    {
        var output = await RenderAsync(new() { ["DEVENV_PULL_SECRET"] = "none", ["DEVENV_SERVICE_TYPE"] = "NodePort", ["DEVENV_NAMESPACE"] = "team-a" });

        Assert.Empty(KubernetesSchema.Instance.Validate(output));
        var objects = KubernetesYaml.LoadAllFromString(output).Cast<IKubernetesObject<V1ObjectMeta>>().ToArray();
        objects = [.. objects.Where(o => o.Metadata.Name != ReceiverManifests.Name)];
        Assert.Equal(["Namespace", "Deployment", "Service"], objects.Select(o => o.Kind));
        Assert.Null(((V1Deployment)objects[1]).Spec.Template.Spec.ImagePullSecrets);
        Assert.Equal("team-a", objects[1].Metadata.NamespaceProperty);
        // NodePort on a shared cluster: the cluster picks the port (none fixed in the manifest).
        Assert.Equal(("NodePort", null), (((V1Service)objects[2]).Spec.Type, ((V1Service)objects[2]).Spec.Ports[0].NodePort));
    }

    [Fact]
    public async Task A_registry_with_a_scheme_stops_every_verb_with_one_line()
    {
        var result = await new ProcessRunner().RunAsync(AppHostProcess.Spec(["manifests"], Environment(new() { ["DEVENV_REGISTRY"] = "https://registry.example.com/team" })),
            ResourceLog.None, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DEVENV_REGISTRY='https://registry.example.com/team' has a scheme", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> RenderAsync(Dictionary<string, string?> extra)
    {
        var result = await new ProcessRunner().RunAsync(AppHostProcess.Spec(["manifests"], Environment(extra)), ResourceLog.None, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, "manifests failed:\n" + result.Error);
        return ManifestsVerb.Join(result.Output.Split("---\n", StringSplitOptions.RemoveEmptyEntries));
    }

    private Dictionary<string, string?> Environment(Dictionary<string, string?> extra)
    {
        var env = new Dictionary<string, string?>
        {
            ["DEVENV_STATE_DIR"] = _state,
            ["DEVENV_NAME"] = "demo",
            ["DEVENV_REGISTRY"] = "registry.example.com:5443/team/devenv",
            ["DEVENV_KUBE_CONTEXT"] = "shared-dev",
            ["DOCKER_CONFIG"] = _state,
        };
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        return env;
    }
}
