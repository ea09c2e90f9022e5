using System.Globalization;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.Telemetry;
using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// The Deployment and Service of one <see cref="Workload"/> as typed <c>k8s.Models</c> objects. Pure: the same
/// workload gives the same objects (maps are built in a fixed order), and so the same YAML.
/// </summary>
public static class WorkloadManifests
{
    /// <summary>Annotation carrying the source revision the image was built from.</summary>
    public const string RevisionAnnotation = "dev.devenv/source-revision";

    /// <summary>The label with the workload's name.</summary>
    public const string NameLabel = "app.kubernetes.io/name";

    /// <summary>The labels on everything, and the selector (which must never change for an existing Deployment).</summary>
    public static IDictionary<string, string> Labels(Workload workload)
    {
        var labels = EnvironmentSettings.OwnedLabels(workload.Environment);
        labels[NameLabel] = workload.Name;
        return labels;
    }

    /// <summary>The label selector of the workload's pods, as the API's labelSelector parameter takes it.</summary>
    public static string Selector(Workload workload) =>
        $"{NameLabel}={workload.Name},{EnvironmentSettings.EnvironmentLabel}={workload.Environment}";

    /// <summary>The Deployment and then the Service.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> All(Workload workload) => [Deployment(workload), Service(workload)];

    /// <summary>The Deployment running the workload's image (must carry a content tag).</summary>
    public static V1Deployment Deployment(Workload workload)
    {
        RequireContentTag(workload.Image);
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [RevisionAnnotation] = workload.Revision };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(workload, annotations),
            Spec = new V1DeploymentSpec
            {
                Replicas = workload.Replicas,
                RevisionHistoryLimit = 5,
                ProgressDeadlineSeconds = 120,
                Selector = new V1LabelSelector { MatchLabels = SelectorLabels(workload) },
                // One extra pod at a time and never one fewer ready than asked for: the old version serves until
                // the new one is ready.
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels(workload), Annotations = annotations },
                    Spec = PodSpec(workload),
                },
            },
        };
    }

    /// <summary>
    /// Throws unless <paramref name="image"/> names one specific build: a tag other than "latest" (an untagged
    /// reference means latest), or a digest. A floating tag would make what runs depend on node caches.
    /// </summary>
    public static string RequireContentTag(string image)
    {
        var (_, reference, isDigest) = ImageReference.Split(image);
        return isDigest || reference != "latest"
            ? image
            : throw new ArgumentException($"Image '{image}' has no content tag; a Deployment never runs ':latest' or an untagged image.", nameof(image));
    }

    /// <summary>A NodePort Service on the workload's node port, or a ClusterIP Service when it has none.</summary>
    public static V1Service Service(Workload workload) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(workload, annotations: null),
        Spec = new V1ServiceSpec
        {
            Type = ServiceType(workload),
            Selector = SelectorLabels(workload),
            Ports = [new V1ServicePort { Name = AppContract.HttpPortName, Protocol = "TCP", Port = 80, TargetPort = AppContract.HttpPortName, NodePort = ServiceType(workload) == "ClusterIP" ? null : workload.NodePort }],
        },
    };

    private static string ServiceType(Workload workload) => workload.ServiceType ?? (workload.NodePort is null ? "ClusterIP" : "NodePort");

    private static SortedDictionary<string, string> SelectorLabels(Workload workload) => new(StringComparer.Ordinal)
    {
        [NameLabel] = workload.Name,
        [EnvironmentSettings.EnvironmentLabel] = workload.Environment,
    };

    private static V1ObjectMeta Metadata(Workload workload, IDictionary<string, string>? annotations) => new()
    {
        Name = workload.Name,
        NamespaceProperty = workload.Namespace,
        Labels = Labels(workload),
        Annotations = annotations,
    };

    private static V1PodSpec PodSpec(Workload workload) => new()
    {
        AutomountServiceAccountToken = false,
        ImagePullSecrets = workload.PullSecret is { } secret ? [new V1LocalObjectReference { Name = secret }] : null,
        EnableServiceLinks = false,
        TerminationGracePeriodSeconds = AppContract.TerminationGracePeriodSeconds,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = AppContract.UserId,
            RunAsGroup = AppContract.UserId,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers =
        [
            new V1Container
            {
                Name = workload.Name,
                Image = workload.Image,
                // Content tags never change meaning, so a node's cached copy is always the right one.
                ImagePullPolicy = "IfNotPresent",
                Ports =
                [
                    new V1ContainerPort { Name = AppContract.HttpPortName, ContainerPort = workload.ContainerPort, Protocol = "TCP" },
                    new V1ContainerPort { Name = AppContract.ManagementPortName, ContainerPort = AppContract.ManagementPort, Protocol = "TCP" },
                ],
                Env =
                [
                    new V1EnvVar { Name = "ASPNETCORE_HTTP_PORTS", Value = workload.ContainerPort.ToString(CultureInfo.InvariantCulture) },
                    new V1EnvVar { Name = AppContract.ManagementPortVariable, Value = AppContract.ManagementPort.ToString(CultureInfo.InvariantCulture) },
                    new V1EnvVar { Name = AppContract.DrainDelayVariable, Value = AppContract.ConfigValue(AppContract.DrainDelay) },
                    new V1EnvVar { Name = AppContract.ShutdownTimeoutVariable, Value = AppContract.ConfigValue(AppContract.ShutdownTimeout) },
                    .. TelemetryEnvironment(workload),
                ],
                Resources = new V1ResourceRequirements
                {
                    Requests = Quantities(cpu: "50m", memory: "64Mi"),
                    // The exec liveness probe starts a second .NET process in the same cgroup: leave it room.
                    Limits = Quantities(cpu: "1", memory: "256Mi"),
                },
                StartupProbe = HttpProbe(AppContract.StartupPath, periodSeconds: 1, failureThreshold: 30),
                ReadinessProbe = HttpProbe(AppContract.ReadinessPath, periodSeconds: 2, failureThreshold: 2),
                LivenessProbe = new V1Probe
                {
                    Exec = new V1ExecAction { Command = [.. workload.LivenessCommand] },
                    PeriodSeconds = 10,
                    TimeoutSeconds = 5,
                    FailureThreshold = 3,
                },
                // The app waits the drain delay inside this call (readiness already off), so SIGTERM comes after
                // the endpoints have dropped the pod, and the app does not wait a second time. Exec, not HTTP: only
                // the kubelet can start draining, never a request (the image is shell-less; the app is the command).
                Lifecycle = new V1Lifecycle
                {
                    PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = [workload.LivenessCommand[0], "prestop"] } },
                },
                SecurityContext = new V1SecurityContext
                {
                    AllowPrivilegeEscalation = false,
                    ReadOnlyRootFilesystem = true,
                    RunAsNonRoot = true,
                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
            },
        ],
        // .NET writes its diagnostics sockets and temp files to /tmp; the root file system stays read-only.
        Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } }],
    };

    // The standard OTEL_* settings ServiceDefaults' exporter reads, as Aspire gives them to the processes it starts: the
    // service named after the workload, each pod its own instance, the dashboard's key from a Secret (never inline).
    private static IEnumerable<V1EnvVar> TelemetryEnvironment(Workload workload) => workload.Telemetry is not { } telemetry ? [] :
    [
        new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
        new V1EnvVar { Name = "OTEL_SERVICE_NAME", Value = workload.Name },
        // The image's content tag as the service version, so the dashboard tells the old pods' telemetry from the new.
        new V1EnvVar { Name = "OTEL_RESOURCE_ATTRIBUTES", Value = $"service.instance.id=$(POD_NAME),k8s.pod.name=$(POD_NAME),service.version={ImageReference.Split(workload.Image).Reference}" },
        new V1EnvVar { Name = "OTEL_EXPORTER_OTLP_ENDPOINT", Value = telemetry.Endpoint },
        new V1EnvVar { Name = "OTEL_EXPORTER_OTLP_PROTOCOL", Value = telemetry.Protocol },
        new V1EnvVar
        {
            Name = "OTEL_EXPORTER_OTLP_HEADERS",
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = PodTelemetry.HeadersSecretName, Key = PodTelemetry.HeadersSecretKey, Optional = true } },
        },
        // An inner loop wants a request's trace, log and metrics on screen within a second, not after the SDK's
        // production batching (5 s spans and logs, 60 s metrics); Aspire gives its local processes the same values.
        new V1EnvVar { Name = "OTEL_BSP_SCHEDULE_DELAY", Value = "1000" },
        new V1EnvVar { Name = "OTEL_BLRP_SCHEDULE_DELAY", Value = "1000" },
        new V1EnvVar { Name = "OTEL_METRIC_EXPORT_INTERVAL", Value = "1000" },
    ];

    private static V1Probe HttpProbe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = AppContract.ManagementPortName },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 1,
        FailureThreshold = failureThreshold,
    };

    private static SortedDictionary<string, ResourceQuantity> Quantities(string cpu, string memory) =>
        new(StringComparer.Ordinal) { ["cpu"] = new ResourceQuantity(cpu), ["memory"] = new ResourceQuantity(memory) };
}
