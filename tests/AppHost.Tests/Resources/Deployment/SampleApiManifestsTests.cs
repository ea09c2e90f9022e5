using DevEnv.AppHost.Clients.Kubectl.Manifests;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Resources.Deployment;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Deployment;

public sealed class SampleApiManifestsTests
{
    private const string Image = "localhost:5001/sampleapi:3f2a9c1e7b44";
    private static readonly EnvironmentSettings Settings = new() { Name = "devenv", SourceRoot = "/src" };

    private static DeploymentObject Deployment() => SampleApiManifests.Deployment(Settings, Image, "3f2a9c1e7b44");

    private static Container App() => Assert.Single(Deployment().Spec.Template!.Spec!.Containers!);

    [Fact]
    public void Deployment_and_service_validate_against_the_kubernetes_schema()
    {
        var yaml = ManifestYaml.Join([ManifestYaml.Serialize(Deployment()), ManifestYaml.Serialize(SampleApiManifests.Service(Settings))]);

        Assert.Empty(KubernetesSchema.Instance.Validate(yaml));
    }

    [Fact]
    public void A_deliberately_broken_deployment_fails_validation()
    {
        var yaml = ManifestYaml.Serialize(Deployment())
            .Replace("maxSurge: 1", "maxSurge: 1\n      maxSurprise: 2")          // unknown field
            .Replace("periodSeconds: 10", "periodSeconds: ten");                   // wrong type
        yaml = System.Text.RegularExpressions.Regex.Replace(yaml, @"- name: sampleapi\n\s+image:", "- image:"); // containers[].name is required
        Assert.DoesNotContain("- name: sampleapi", yaml);

        var errors = KubernetesSchema.Instance.Validate(yaml);

        Assert.Contains("Deployment.spec.strategy.rollingUpdate.maxSurprise: unknown field", errors);
        Assert.Contains("Deployment.spec.template.spec.containers[0].livenessProbe.periodSeconds: expected integer (int32), got 'ten'", errors);
        Assert.Contains("Deployment.spec.template.spec.containers[0].name: required field missing", errors);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Rendering_is_byte_identical_for_the_same_inputs()
    {
        Assert.Equal(ManifestYaml.Serialize(Deployment()), ManifestYaml.Serialize(SampleApiManifests.Deployment(Settings with { }, Image, "3f2a9c1e7b44")));
        Assert.Equal(ManifestYaml.Serialize(SampleApiManifests.Service(Settings)), ManifestYaml.Serialize(SampleApiManifests.Service(Settings with { })));
    }

    [Fact]
    public void Rolling_update_adds_one_pod_at_a_time_and_never_drops_below_the_replica_count()
    {
        var spec = Deployment().Spec;

        Assert.Equal(3, spec.Replicas);
        Assert.Equal("RollingUpdate", spec.Strategy!.Type);
        Assert.Equal(1, spec.Strategy.RollingUpdate!.MaxSurge);
        Assert.Equal(0, spec.Strategy.RollingUpdate.MaxUnavailable);
        Assert.Equal(5, SampleApiManifests.Deployment(Settings with { Replicas = 5 }, Image, "r").Spec.Replicas);
    }

    [Fact]
    public void Startup_and_readiness_probe_http_liveness_execs_the_apps_own_subcommand()
    {
        var app = App();

        Assert.Equal(("/healthz/startup", "management"), (app.StartupProbe!.HttpGet!.Path, app.StartupProbe.HttpGet.Port));
        Assert.Equal(("/healthz/ready", "management"), (app.ReadinessProbe!.HttpGet!.Path, app.ReadinessProbe.HttpGet.Port));
        Assert.Null(app.LivenessProbe!.HttpGet);
        Assert.Equal(["/app/SampleApi", "probe", "live"], app.LivenessProbe.Exec!.Command);
        Assert.Equal(new (string?, int?)[] { ("http", 8080), ("management", 8081) }, app.Ports!.Select(p => (p.Name, p.ContainerPort)));
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
        Assert.Equal("64Mi", app.Resources!.Requests!["memory"]);
        Assert.Equal("256Mi", app.Resources.Limits!["memory"]);
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
        Assert.Equal(expected, SampleApiManifests.Service(Settings).Metadata.Labels);
        Assert.Equal("3f2a9c1e7b44", deployment.Metadata.Annotations!["dev.devenv/source-revision"]);
        Assert.All(deployment.Spec.Selector!.MatchLabels!, l => Assert.Equal(expected[l.Key], l.Value));
    }

    [Fact]
    public void Service_is_a_node_port_on_31000_targeting_the_named_port()
    {
        var service = SampleApiManifests.Service(Settings);

        Assert.Equal("NodePort", service.Spec.Type);
        var port = Assert.Single(service.Spec.Ports!);
        Assert.Equal((31000, "http", 80), (port.NodePort!.Value, port.TargetPort, port.Port!.Value));
        Assert.Equal(Deployment().Spec.Selector!.MatchLabels, service.Spec.Selector);
    }

    [Theory]
    [InlineData("localhost:5001/sampleapi:latest")]
    [InlineData("localhost:5001/sampleapi")]
    public void Latest_or_untagged_images_are_refused(string image)
    {
        var ex = Assert.Throws<ArgumentException>(() => SampleApiManifests.Deployment(Settings, image, "r"));

        Assert.Contains("never runs ':latest'", ex.Message);
    }

    [Fact]
    public void Digest_references_are_accepted()
    {
        const string image = "localhost:5001/sampleapi@sha256:1111111111111111111111111111111111111111111111111111111111111111";

        Assert.Equal(image, Assert.Single(SampleApiManifests.Deployment(Settings, image, "r").Spec.Template!.Spec!.Containers!).Image);
    }
}
