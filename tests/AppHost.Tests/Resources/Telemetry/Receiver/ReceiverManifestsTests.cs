using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Telemetry.Receiver;
using DevEnv.TelemetryReceiver.Protocol;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.Telemetry.Receiver;

public sealed class ReceiverManifestsTests
{
    private const string Image = "localhost:5001/devenv-telemetry-receiver:3f2a9c1e7b44";
    private static readonly EnvironmentSettings Settings = new() { Name = "devenv" };
    private static readonly ReceiverTokens Tokens = new(new string('a', 64), new string('b', 64));

    [Fact]
    public void Secret_deployment_and_service_as_manifests_prints_them_validate_against_the_1_36_schema()
    {
        var yaml = ManifestYaml.SerializeAll(ReceiverManifests.Objects(Settings, Image, tokens: null));
        Assert.Empty(KubernetesSchema.Instance.Validate(yaml));
        Assert.Equal(yaml, ManifestYaml.SerializeAll(KubernetesYaml.LoadAllFromString(yaml)));
    }

    [Fact]
    public void What_manifests_prints_carries_no_token_and_what_up_applies_carries_both()
    {
        var review = ManifestYaml.SerializeAll(ReceiverManifests.Objects(Settings, Image, tokens: null));
        Assert.DoesNotContain(Tokens.Ingest, review, StringComparison.Ordinal);
        Assert.Contains(ReceiverManifests.Redacted, review, StringComparison.Ordinal);

        var applied = ReceiverManifests.Secret(Settings, Tokens);
        Assert.Null(applied.StringData);
        Assert.Equal($"{ReceiverProtocol.TokenHeader}={Tokens.Ingest}", System.Text.Encoding.UTF8.GetString(applied.Data[ReceiverManifests.HeadersKey]));
        Assert.Equal(Tokens.Read, System.Text.Encoding.UTF8.GetString(applied.Data[ReceiverManifests.ReadTokenKey]));
        Assert.Equal("devenv", applied.Metadata.Labels[EnvironmentSettings.EnvironmentLabel]);
        Assert.DoesNotContain(Tokens.Ingest, Tokens.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_receiver_runs_non_root_on_a_read_only_root_with_probes_on_its_read_port_and_its_tokens_from_the_secret()
    {
        var deployment = ReceiverManifests.Deployment(Settings, Image);
        var pod = deployment.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal((true, 1654L), (pod.SecurityContext.RunAsNonRoot, pod.SecurityContext.RunAsUser));
        Assert.Equal((true, false, true), (container.SecurityContext.ReadOnlyRootFilesystem, container.SecurityContext.AllowPrivilegeEscalation, container.SecurityContext.RunAsNonRoot));
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.Equal((ReceiverProtocol.HealthPath, ReceiverProtocol.ReadPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.NotNull(container.LivenessProbe.HttpGet);
        var env = container.Env.ToDictionary(e => e.Name);
        Assert.Equal((ReceiverManifests.Name, ReceiverManifests.IngestTokenKey), (env[ReceiverProtocol.IngestTokenVariable].ValueFrom.SecretKeyRef.Name, env[ReceiverProtocol.IngestTokenVariable].ValueFrom.SecretKeyRef.Key));
        Assert.Equal(ReceiverManifests.ReadTokenKey, env[ReceiverProtocol.ReadTokenVariable].ValueFrom.SecretKeyRef.Key);
        Assert.All(container.Env, e => Assert.DoesNotContain(Tokens.Ingest, e.Value ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public void The_service_is_cluster_ip_with_the_ingest_port_only_so_the_read_port_is_reached_through_the_api_server()
    {
        var service = ReceiverManifests.Service(Settings);
        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Equal(ReceiverProtocol.IngestPort, Assert.Single(service.Spec.Ports).Port);
        Assert.Equal("app.kubernetes.io/name=devenv-telemetry,dev.devenv.environment=devenv", ReceiverManifests.Selector(Settings));
        Assert.Equal(service.Spec.Selector, ReceiverManifests.Deployment(Settings, Image).Spec.Selector.MatchLabels);
    }

    [Fact]
    public void A_workload_sends_to_the_receiver_service_by_name_with_the_ingest_token_from_the_secret()
    {
        var settings = Settings with { Namespace = "team-a" };
        var workload = new Workload
        {
            Name = "sampleapi", Environment = "devenv", Image = "localhost:5001/sampleapi:3f2a9c1e7b44", Revision = "3f2a9c1e7b44", Replicas = 1, NodePort = 31000,
            Namespace = "team-a", Telemetry = ReceiverManifests.PodSettings(settings),
        };
        var yaml = ManifestYaml.SerializeAll([.. WorkloadManifests.All(workload), .. ReceiverManifests.Objects(settings, Image, null)]);
        Assert.Empty(KubernetesSchema.Instance.Validate(yaml));

        var env = Assert.Single(WorkloadManifests.Deployment(workload).Spec.Template.Spec.Containers).Env.ToDictionary(e => e.Name);
        Assert.Equal("http://devenv-telemetry.team-a.svc:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"].Value);
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"].Value);
        var header = env["OTEL_EXPORTER_OTLP_HEADERS"].ValueFrom.SecretKeyRef;
        Assert.Equal((ReceiverManifests.Name, ReceiverManifests.HeadersKey), (header.Name, header.Key));
        Assert.Null(env["OTEL_EXPORTER_OTLP_HEADERS"].Value);
    }
}
