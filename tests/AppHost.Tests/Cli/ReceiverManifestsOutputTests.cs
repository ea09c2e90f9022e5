using System.Text;
using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Telemetry.Receiver;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>
/// <c>manifests</c> of Program.cs (the real AppHost process) when the in-cluster telemetry receiver is the pods' path:
/// its Secret (no token value), Deployment and Service before the app's objects, the app's pods sending to the
/// receiver's Service with the header from that Secret; valid for Kubernetes 1.36. Under <c>auto</c> it says why not.
/// </summary>
public sealed class ReceiverManifestsOutputTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("devenv-receiver-manifests-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task With_DEVENV_TELEMETRY_PATH_receiver_manifests_prints_the_receivers_secret_without_a_token_its_deployment_and_service_and_the_app_sends_to_it()
    {
        var (output, error) = await RenderAsync(new() { ["DEVENV_TELEMETRY_PATH"] = "receiver" });

        var documents = output.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("kind: Cluster\n", documents[0]);
        var kubernetes = ManifestsVerb.Join(documents.Skip(1));
        Assert.Empty(KubernetesSchema.Instance.Validate(kubernetes));
        var objects = KubernetesYaml.LoadAllFromString(kubernetes).Cast<IKubernetesObject<V1ObjectMeta>>().ToArray();
        Assert.Equal(["ConfigMap/local-registry-hosting", "Secret/devenv-telemetry", "Deployment/devenv-telemetry", "Service/devenv-telemetry", "Deployment/sampleapi", "Service/sampleapi"],
            objects.Select(o => $"{o.Kind}/{o.Metadata.Name}"));

        // No token: none was made (manifests writes nothing to the state folder), and the Secret says where up keeps it.
        Assert.False(File.Exists(Path.Combine(_state, ReceiverTokens.FileName)), "manifests made the receiver's tokens");
        var secret = (V1Secret)objects[1];
        Assert.Null(secret.Data);
        Assert.All(secret.StringData.Values, v => Assert.Contains(ReceiverManifests.Redacted, v, StringComparison.Ordinal));
        var receiver = Assert.Single(((V1Deployment)objects[2]).Spec.Template.Spec.Containers);
        Assert.Equal("localhost:5001/devenv-telemetry-receiver:not-built-yet", receiver.Image);
        Assert.Equal("ClusterIP", ((V1Service)objects[3]).Spec.Type);

        var app = Assert.Single(((V1Deployment)objects[4]).Spec.Template.Spec.Containers).Env.ToDictionary(e => e.Name);
        Assert.Equal("http://devenv-telemetry.default.svc:4318", app["OTEL_EXPORTER_OTLP_ENDPOINT"].Value);
        Assert.Equal((ReceiverManifests.Name, ReceiverManifests.HeadersKey),
            (app["OTEL_EXPORTER_OTLP_HEADERS"].ValueFrom.SecretKeyRef.Name, app["OTEL_EXPORTER_OTLP_HEADERS"].ValueFrom.SecretKeyRef.Key));
        Assert.DoesNotContain("not printed", error, StringComparison.Ordinal);
        Assert.Equal(output, (await RenderAsync(new() { ["DEVENV_TELEMETRY_PATH"] = "receiver" })).Output);
    }

    [Fact]
    public async Task Under_auto_manifests_leaves_the_receiver_out_and_says_why_in_one_line()
    {
        var (output, error) = await RenderAsync([]);

        Assert.DoesNotContain("devenv-telemetry", output, StringComparison.Ordinal);
        Assert.Contains("the in-cluster receiver's objects are not printed: under DEVENV_TELEMETRY_PATH=auto up chooses by engine", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_DEVENV_TELEMETRY_PATH_stops_the_verb_with_one_line_naming_the_choices()
    {
        var result = await new ProcessRunner().RunAsync(AppHostProcess.Spec(["manifests"], new Dictionary<string, string?> { ["DEVENV_STATE_DIR"] = _state, ["DEVENV_TELEMETRY_PATH"] = "grpc" }),
            ResourceLog.None, TestContext.Current.CancellationToken);

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("error: DEVENV_TELEMETRY_PATH='grpc' is not valid (use auto, receiver or relay).\n", result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    private async Task<(string Output, string Error)> RenderAsync(Dictionary<string, string?> extra)
    {
        var environment = new Dictionary<string, string?>(extra) { ["DEVENV_STATE_DIR"] = _state };
        var result = await new ProcessRunner().RunAsync(AppHostProcess.Spec(["manifests"], environment), ResourceLog.None, TestContext.Current.CancellationToken);
        Assert.True(result.ExitCode == 0, "manifests failed:\n" + result.Error);
        return (result.Output, result.Error);
    }
}
