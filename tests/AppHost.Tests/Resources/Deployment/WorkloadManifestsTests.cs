using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Telemetry;
using DevEnv.AppHost.Tests.Support;
using k8s;
using k8s.Models;

namespace DevEnv.AppHost.Tests.Resources.Deployment;

public sealed class WorkloadManifestsTests
{
    private const string Image = "localhost:5001/sampleapi:3f2a9c1e7b44";
    private static readonly Workload SampleApi = new()
    {
        Name = DeploymentResource.SampleApiName, Environment = "devenv", Image = Image, Revision = "3f2a9c1e7b44", Replicas = 3, NodePort = 31000,
    };

    private static V1Deployment Deployment() => WorkloadManifests.Deployment(SampleApi);

    private static V1Service Service() => WorkloadManifests.Service(SampleApi);

    private static V1Container App() => Assert.Single(Deployment().Spec.Template!.Spec!.Containers!);

    [Fact]
    public void Deployment_and_service_validate_against_the_kubernetes_schema()
    {
        var yaml = ManifestYaml.SerializeAll(WorkloadManifests.All(SampleApi));

        Assert.Empty(KubernetesSchema.Instance.Validate(yaml));
        // KubernetesClient reads back exactly what was rendered.
        Assert.Equal(yaml, ManifestYaml.SerializeAll(KubernetesYaml.LoadAllFromString(yaml)));
    }

    [Fact]
    public void With_telemetry_the_pods_get_the_otel_settings_and_the_key_only_by_reference_to_its_secret()
    {
        var workload = SampleApi with { Telemetry = new PodTelemetry("http://172.18.0.1:18891", "http/protobuf") };
        var yaml = ManifestYaml.SerializeAll(WorkloadManifests.All(workload));
        Assert.Empty(KubernetesSchema.Instance.Validate(yaml));

        var env = Assert.Single(WorkloadManifests.Deployment(workload).Spec.Template!.Spec!.Containers!).Env!.ToDictionary(e => e.Name);
        Assert.Equal("sampleapi", env["OTEL_SERVICE_NAME"].Value);
        Assert.Equal("http://172.18.0.1:18891", env["OTEL_EXPORTER_OTLP_ENDPOINT"].Value);
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"].Value);
        Assert.Equal("metadata.name", env["POD_NAME"].ValueFrom!.FieldRef!.FieldPath);
        Assert.Contains("service.instance.id=$(POD_NAME)", env["OTEL_RESOURCE_ATTRIBUTES"].Value, StringComparison.Ordinal);
        Assert.Contains("service.version=3f2a9c1e7b44", env["OTEL_RESOURCE_ATTRIBUTES"].Value, StringComparison.Ordinal);
        var key = env["OTEL_EXPORTER_OTLP_HEADERS"].ValueFrom!.SecretKeyRef!;
        Assert.Equal((PodTelemetry.HeadersSecretName, PodTelemetry.HeadersSecretKey, true), (key.Name, key.Key, key.Optional));
        // $(POD_NAME) expands only from a variable defined before it.
        var names = env.Keys.ToList();
        Assert.True(names.IndexOf("POD_NAME") < names.IndexOf("OTEL_RESOURCE_ATTRIBUTES"));
        Assert.DoesNotContain(App().Env!, e => e.Name.StartsWith("OTEL_", StringComparison.Ordinal)); // without telemetry: none
    }

    [Fact]
    public void Two_projects_get_two_deployments_and_services_each_with_its_own_node_port_or_none()
    {
        var web = SampleApi;
        var worker = SampleApi with { Name = "worker", Image = "localhost:5001/worker:0a1b2c3d4e5f", Replicas = 1, NodePort = null, ContainerPort = 9090 };

        var yaml = ManifestYaml.SerializeAll([.. WorkloadManifests.All(web), .. WorkloadManifests.All(worker)]);

        Assert.Empty(KubernetesSchema.Instance.Validate(yaml));
        var workerService = WorkloadManifests.Service(worker);
        Assert.Equal(("ClusterIP", null), (workerService.Spec.Type, Assert.Single(workerService.Spec.Ports).NodePort));
        Assert.DoesNotContain("nodePort", ManifestYaml.Serialize(workerService));
        Assert.Equal(("NodePort", 31000), (Service().Spec.Type, Assert.Single(Service().Spec.Ports).NodePort));
        var workerApp = Assert.Single(WorkloadManifests.Deployment(worker).Spec.Template.Spec.Containers);
        Assert.Equal(("worker", 9090, "9090"), (workerApp.Name, workerApp.Ports.Single(p => p.Name == "http").ContainerPort, workerApp.Env[0].Value));
        Assert.Equal("app.kubernetes.io/name=worker,dev.devenv.environment=devenv", WorkloadManifests.Selector(worker));
        Assert.Equal("worker", workerService.Spec.Selector["app.kubernetes.io/name"]);
    }

    [Fact]
    public void A_deliberately_broken_deployment_fails_validation()
    {
        var yaml = ManifestYaml.Serialize(Deployment())
            .Replace("maxSurge: 1", "maxSurge: 1\n      maxSurprise: 2")          // unknown field
            .Replace("periodSeconds: 10", "periodSeconds: ten");                   // wrong type
        Assert.Contains("\n        name: sampleapi\n", yaml);
        yaml = yaml.Replace("\n        name: sampleapi\n", "\n"); // containers[].name is required

        var errors = KubernetesSchema.Instance.Validate(yaml);

        Assert.Contains("Deployment.spec.strategy.rollingUpdate.maxSurprise: unknown field", errors);
        Assert.Contains("Deployment.spec.template.spec.containers[0].livenessProbe.periodSeconds: expected integer (int32), got 'ten'", errors);
        Assert.Contains("Deployment.spec.template.spec.containers[0].name: required field missing", errors);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Rendering_is_byte_identical_for_the_same_inputs()
    {
        Assert.Equal(ManifestYaml.Serialize(Deployment()), ManifestYaml.Serialize(WorkloadManifests.Deployment(SampleApi with { })));
        Assert.Equal(ManifestYaml.Serialize(Service()), ManifestYaml.Serialize(WorkloadManifests.Service(SampleApi with { })));
    }

    [Fact]
    public void Rolling_update_adds_one_pod_at_a_time_and_never_drops_below_the_replica_count()
    {
        var spec = Deployment().Spec;

        Assert.Equal(3, spec.Replicas);
        Assert.Equal("RollingUpdate", spec.Strategy!.Type);
        Assert.Equal("1", spec.Strategy.RollingUpdate!.MaxSurge.Value);
        Assert.Equal("0", spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal(5, WorkloadManifests.Deployment(SampleApi with { Replicas = 5 }).Spec.Replicas);
    }

    [Fact]
    public void Startup_readiness_and_liveness_probe_http_on_the_management_port_no_process_per_period()
    {
        var app = App();

        Assert.Equal(("/healthz/startup", "management"), (app.StartupProbe!.HttpGet!.Path, app.StartupProbe.HttpGet.Port.Value));
        Assert.Equal(("/healthz/ready", "management"), (app.ReadinessProbe!.HttpGet!.Path, app.ReadinessProbe.HttpGet.Port.Value));
        // Liveness must not start a process in the pod every period (issue 26): HTTP on the port the Service never exposes.
        Assert.Null(app.LivenessProbe!.Exec);
        Assert.Equal(("/healthz/live", "management"), (app.LivenessProbe.HttpGet?.Path, app.LivenessProbe.HttpGet?.Port.Value));
        Assert.Equal((10, 5, 3), (app.LivenessProbe.PeriodSeconds, app.LivenessProbe.TimeoutSeconds, app.LivenessProbe.FailureThreshold));
        Assert.Equal([("http", 8080), ("management", 8081)], app.Ports!.Select(p => (p.Name, p.ContainerPort)).ToArray());
    }

    [Fact]
    public void PreStop_asks_the_app_to_drain_by_exec_and_does_not_also_sleep()
    {
        var preStop = App().Lifecycle!.PreStop!;

        Assert.Equal(["/app/SampleApi", "prestop"], preStop.Exec!.Command);
        Assert.Null(preStop.HttpGet);
        Assert.Null(preStop.Sleep);
    }

    [Fact]
    public void Grace_period_covers_drain_delay_plus_shutdown_timeout_plus_margin()
    {
        var app = App();
        var env = app.Env!.ToDictionary(e => e.Name!, e => e.Value!);
        var drain = TimeSpan.Parse(env["Shutdown__DrainDelay"], System.Globalization.CultureInfo.InvariantCulture);
        var timeout = TimeSpan.Parse(env["Shutdown__Timeout"], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("00:00:05", env["Shutdown__DrainDelay"]);
        Assert.Equal("00:00:15", env["Shutdown__Timeout"]);
        var grace = Deployment().Spec.Template!.Spec!.TerminationGracePeriodSeconds!.Value;
        Assert.True(grace >= (drain + timeout).TotalSeconds + 3, $"grace {grace}s leaves no margin over {drain} + {timeout}");
        Assert.Equal(25, grace);
        // Quoted in YAML: unquoted, a YAML 1.1 reader takes 00:00:05 for the number 5.
        Assert.Contains("value: \"00:00:05\"", ManifestYaml.Serialize(Deployment()));
    }

    [Fact]
    public void Security_context_is_hardened_with_a_writable_tmp()
    {
        var pod = Deployment().Spec.Template!.Spec!;
        var app = App();

        Assert.Equal((true, 1654L, "RuntimeDefault"), (pod.SecurityContext!.RunAsNonRoot!.Value, pod.SecurityContext.RunAsUser!.Value, pod.SecurityContext.SeccompProfile!.Type));
        Assert.False(app.SecurityContext!.AllowPrivilegeEscalation);
        Assert.True(app.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], app.SecurityContext.Capabilities!.Drop);
        Assert.Equal("/tmp", Assert.Single(app.VolumeMounts!).MountPath);
        Assert.NotNull(Assert.Single(pod.Volumes!).EmptyDir);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.Equal("64Mi", app.Resources!.Requests!["memory"].ToString());
        Assert.Equal("256Mi", app.Resources.Limits!["memory"].ToString());
    }

    [Fact]
    public void Labels_identify_the_environment_and_the_revision_is_annotated()
    {
        var deployment = Deployment();
        var expected = new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "sampleapi",
            ["app.kubernetes.io/managed-by"] = "devenv",
            ["dev.devenv.environment"] = "devenv",
        };

        Assert.Equal(expected, deployment.Metadata.Labels);
        Assert.Equal(expected, deployment.Spec.Template!.Metadata!.Labels);
        Assert.Equal(expected, Service().Metadata.Labels);
        Assert.Equal("3f2a9c1e7b44", deployment.Metadata.Annotations!["dev.devenv/source-revision"]);
        Assert.All(deployment.Spec.Selector!.MatchLabels!, l => Assert.Equal(expected[l.Key], l.Value));
    }

    [Fact]
    public void Service_is_a_node_port_on_31000_whose_port_is_the_target_port_so_in_cluster_urls_match_aspires()
    {
        var service = Service();

        Assert.Equal("NodePort", service.Spec.Type);
        var port = Assert.Single(service.Spec.Ports!);
        Assert.Equal((31000, "http", 8080), (port.NodePort!.Value, port.TargetPort.Value, port.Port));
        Assert.Equal(Deployment().Spec.Selector!.MatchLabels, service.Spec.Selector);
    }

    [Theory]
    [InlineData("localhost:5001/sampleapi:latest")]
    [InlineData("localhost:5001/sampleapi")]
    public void Latest_or_untagged_images_are_refused(string image)
    {
        var ex = Assert.Throws<ArgumentException>(() => WorkloadManifests.Deployment(SampleApi with { Image = image }));

        Assert.Contains("never runs ':latest'", ex.Message);
    }

    [Fact]
    public void Digest_references_are_accepted()
    {
        const string image = "localhost:5001/sampleapi@sha256:1111111111111111111111111111111111111111111111111111111111111111";

        Assert.Equal(image, Assert.Single(WorkloadManifests.Deployment(SampleApi with { Image = image }).Spec.Template!.Spec!.Containers!).Image);
    }
}
