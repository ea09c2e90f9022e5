using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Clients.Kubectl;
using DevEnv.AppHost.Clients.Kubectl.Manifests;
using DevEnv.AppHost.Configuration;

namespace DevEnv.AppHost.Resources.Deployment;

/// <summary>
/// The Deployment and Service of SampleApi as typed objects. Pure: settings, image and revision in, the same
/// objects (and so the same YAML) out.
/// </summary>
public static class SampleApiManifests
{
    /// <summary>Name of the Deployment and the Service.</summary>
    public const string Name = "sampleapi";

    /// <summary>Annotation carrying the source revision the image was built from.</summary>
    public const string RevisionAnnotation = "dev.devenv/source-revision";

    /// <summary>The labels on everything, and the selector (which must never change for an existing Deployment).</summary>
    public static SortedDictionary<string, string> Labels(EnvironmentSettings settings) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = Name,
        ["app.kubernetes.io/managed-by"] = "devenv",
        [EnvironmentSettings.EnvironmentLabel] = settings.Name,
    };

    /// <summary>The label selector as kubectl takes it, e.g. for <c>get pods -l</c>.</summary>
    public static string Selector(EnvironmentSettings settings) =>
        $"app.kubernetes.io/name={Name},{EnvironmentSettings.EnvironmentLabel}={settings.Name}";

    /// <summary>The Deployment running <paramref name="image"/> (must carry a content tag).</summary>
    public static DeploymentObject Deployment(EnvironmentSettings settings, string image, string revision)
    {
        RequireContentTag(image);
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [RevisionAnnotation] = revision };
        var selector = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/name"] = Name,
            [EnvironmentSettings.EnvironmentLabel] = settings.Name,
        };
        return new DeploymentObject
        {
            Metadata = Metadata(settings, annotations),
            Spec = new DeploymentSpec
            {
                Replicas = settings.Replicas,
                RevisionHistoryLimit = 5,
                ProgressDeadlineSeconds = 120,
                Selector = new LabelSelector { MatchLabels = selector },
                // One extra pod at a time and never one fewer ready than asked for: the old version serves until
                // the new one is ready.
                Strategy = new DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
                },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = Labels(settings), Annotations = annotations },
                    Spec = PodSpec(image),
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

    /// <summary>The NodePort Service on <see cref="EnvironmentSettings.NodePort"/>.</summary>
    public static ServiceObject Service(EnvironmentSettings settings) => new()
    {
        Metadata = Metadata(settings, annotations: null),
        Spec = new ServiceSpec
        {
            Type = "NodePort",
            Selector = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["app.kubernetes.io/name"] = Name,
                [EnvironmentSettings.EnvironmentLabel] = settings.Name,
            },
            Ports = [new ServicePort { Name = AppContract.HttpPortName, Protocol = "TCP", Port = 80, TargetPort = AppContract.HttpPortName, NodePort = settings.NodePort }],
        },
    };

    private static ObjectMeta Metadata(EnvironmentSettings settings, IReadOnlyDictionary<string, string>? annotations) => new()
    {
        Name = Name,
        Namespace = KubectlArguments.DefaultNamespace,
        Labels = Labels(settings),
        Annotations = annotations,
    };

    private static PodSpec PodSpec(string image) => new()
    {
        AutomountServiceAccountToken = false,
        EnableServiceLinks = false,
        TerminationGracePeriodSeconds = AppContract.TerminationGracePeriodSeconds,
        SecurityContext = new PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = AppContract.UserId,
            RunAsGroup = AppContract.UserId,
            SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers =
        [
            new Container
            {
                Name = Name,
                Image = image,
                // Content tags never change meaning, so a node's cached copy is always the right one.
                ImagePullPolicy = "IfNotPresent",
                Ports =
                [
                    new ContainerPortSpec { Name = AppContract.HttpPortName, ContainerPort = AppContract.HttpPort, Protocol = "TCP" },
                    new ContainerPortSpec { Name = AppContract.ManagementPortName, ContainerPort = AppContract.ManagementPort, Protocol = "TCP" },
                ],
                Env =
                [
                    new EnvVar { Name = "ASPNETCORE_HTTP_PORTS", Value = AppContract.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    new EnvVar { Name = AppContract.ManagementPortVariable, Value = AppContract.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    new EnvVar { Name = AppContract.DrainDelayVariable, Value = AppContract.ConfigValue(AppContract.DrainDelay) },
                    new EnvVar { Name = AppContract.ShutdownTimeoutVariable, Value = AppContract.ConfigValue(AppContract.ShutdownTimeout) },
                ],
                Resources = new ResourceRequirements
                {
                    Requests = Quantities(cpu: "50m", memory: "64Mi"),
                    // The exec liveness probe starts a second .NET process in the same cgroup: leave it room.
                    Limits = Quantities(cpu: "1", memory: "256Mi"),
                },
                StartupProbe = HttpProbe(AppContract.StartupPath, periodSeconds: 1, failureThreshold: 30),
                ReadinessProbe = HttpProbe(AppContract.ReadinessPath, periodSeconds: 2, failureThreshold: 2),
                LivenessProbe = new Probe
                {
                    Exec = new ExecAction { Command = AppContract.LivenessCommand },
                    PeriodSeconds = 10,
                    TimeoutSeconds = 5,
                    FailureThreshold = 3,
                },
                // The app waits the drain delay inside this call (readiness already off), so SIGTERM comes after
                // the endpoints have dropped the pod, and the app does not wait a second time. Exec, not HTTP: only
                // the kubelet can start draining, never a request (the image is shell-less; the app is the command).
                Lifecycle = new Lifecycle
                {
                    PreStop = new LifecycleHandler { Exec = new ExecAction { Command = AppContract.PreStopCommand } },
                },
                SecurityContext = new SecurityContext
                {
                    AllowPrivilegeEscalation = false,
                    ReadOnlyRootFilesystem = true,
                    RunAsNonRoot = true,
                    Capabilities = new Capabilities { Drop = ["ALL"] },
                    SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" },
                },
                VolumeMounts = [new VolumeMount { Name = "tmp", MountPath = "/tmp" }],
            },
        ],
        // .NET writes its diagnostics sockets and temp files to /tmp; the root file system stays read-only.
        Volumes = [new Volume { Name = "tmp", EmptyDir = new EmptyDirVolumeSource { SizeLimit = "64Mi" } }],
    };

    private static Probe HttpProbe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new HttpGetAction { Path = path, Port = AppContract.ManagementPortName },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 1,
        FailureThreshold = failureThreshold,
    };

    private static SortedDictionary<string, string> Quantities(string cpu, string memory) =>
        new(StringComparer.Ordinal) { ["cpu"] = cpu, ["memory"] = memory };
}
