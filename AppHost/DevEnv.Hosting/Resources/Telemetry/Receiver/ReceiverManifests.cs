using System.Globalization;
using System.Text;
using DevEnv.Hosting.Configuration;
using DevEnv.TelemetryReceiver.Protocol;
using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Resources.Telemetry.Receiver;

/// <summary>
/// The in-cluster telemetry receiver's objects in the workloads' namespace: the Secret with its two tokens (and the
/// OTLP header line the pods read from it), a Deployment (one replica, non-root, read-only root filesystem, no API
/// token, probes on the read port) and a ClusterIP Service with the ingest port only (the read port is reached through
/// the API server's port-forward, never through the Service). Pure: the same inputs give the same objects.
/// </summary>
public static class ReceiverManifests
{
    /// <summary>The Deployment's, the Service's and the Secret's name (the pods send to http://devenv-telemetry:4318).</summary>
    public const string Name = "devenv-telemetry";

    /// <summary>The Secret's key with the pods' OTEL_EXPORTER_OTLP_HEADERS line (x-devenv-token=...).</summary>
    public const string HeadersKey = "otlp-headers";

    /// <summary>The Secret's key with the ingest token (the receiver's DEVENV_RECEIVER_INGEST_TOKEN).</summary>
    public const string IngestTokenKey = "ingest-token";

    /// <summary>The Secret's key with the read token (the receiver's DEVENV_RECEIVER_READ_TOKEN).</summary>
    public const string ReadTokenKey = "read-token";

    /// <summary>What <c>manifests</c> prints instead of a token.</summary>
    public const string Redacted = "REDACTED (up makes it once and keeps it in the state folder)";

    /// <summary>The repository of the receiver's image in the environment's registry.</summary>
    public const string ImageRepository = "devenv-telemetry-receiver";

    /// <summary>The image's repository in the environment's registry: under DEVENV_REGISTRY's path for a remote one.</summary>
    public static string ImageRepositoryOf(EnvironmentSettings settings) =>
        settings.RemoteRegistry?.Repository(ImageRepository) ?? ImageRepository;

    /// <summary>The label selector of the receiver's pods (the port-forward follows them).</summary>
    public static string Selector(EnvironmentSettings settings) =>
        string.Join(",", SelectorLabels(settings).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>Where the pods send: the Service by name, in their own namespace.</summary>
    public static PodTelemetry PodSettings(EnvironmentSettings settings) =>
        new($"http://{Name}.{settings.WorkloadNamespace}.svc:{ReceiverProtocol.IngestPort}", "http/protobuf") { SecretName = Name, SecretKey = HeadersKey };

    /// <summary>Secret, Deployment and Service; with <paramref name="tokens"/> null the Secret shows <see cref="Redacted"/> (for review only).</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects(EnvironmentSettings settings, string image, ReceiverTokens? tokens) =>
        [Secret(settings, tokens), Deployment(settings, image), Service(settings)];

    /// <summary>The Secret; its values are never logged, and rendered for review only redacted.</summary>
    public static V1Secret Secret(EnvironmentSettings settings, ReceiverTokens? tokens)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [HeadersKey] = $"{ReceiverProtocol.TokenHeader}={tokens?.Ingest ?? Redacted}",
            [IngestTokenKey] = tokens?.Ingest ?? Redacted,
            [ReadTokenKey] = tokens?.Read ?? Redacted,
        };
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = Metadata(settings),
            Data = tokens is null ? null : values.ToDictionary(v => v.Key, v => Encoding.UTF8.GetBytes(v.Value), StringComparer.Ordinal),
            StringData = tokens is null ? values : null,
        };
    }

    /// <summary>The receiver's Deployment running <paramref name="image"/>.</summary>
    public static V1Deployment Deployment(EnvironmentSettings settings, string image) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = Metadata(settings),
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = SelectorLabels(settings) },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = Labels(settings) },
                Spec = new V1PodSpec
                {
                    // It talks to nobody: no API token in the pod.
                    AutomountServiceAccountToken = false,
                    EnableServiceLinks = false,
                    SecurityContext = new V1PodSecurityContext
                    {
                        RunAsNonRoot = true,
                        RunAsUser = 1654,
                        RunAsGroup = 1654,
                        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                    },
                    Containers = [Container(image)],
                    // .NET writes its diagnostics socket under /tmp; the root filesystem stays read-only.
                    Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("16Mi") } }],
                },
            },
        },
    };

    /// <summary>The ClusterIP Service of the ingest port.</summary>
    public static V1Service Service(EnvironmentSettings settings) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(settings),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = SelectorLabels(settings),
            Ports = [new V1ServicePort { Name = "otlp-http", Port = ReceiverProtocol.IngestPort, TargetPort = ReceiverProtocol.IngestPort, Protocol = "TCP" }],
        },
    };

    private static V1Container Container(string image)
    {
        var probe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = ReceiverProtocol.HealthPath, Port = ReceiverProtocol.ReadPort }, PeriodSeconds = 5 };
        return new V1Container
        {
            Name = "receiver",
            Image = image,
            ImagePullPolicy = "IfNotPresent",
            Ports =
            [
                new V1ContainerPort { Name = "otlp-http", ContainerPort = ReceiverProtocol.IngestPort, Protocol = "TCP" },
                new V1ContainerPort { Name = "read", ContainerPort = ReceiverProtocol.ReadPort, Protocol = "TCP" },
            ],
            Env =
            [
                FromSecret(ReceiverProtocol.IngestTokenVariable, IngestTokenKey),
                FromSecret(ReceiverProtocol.ReadTokenVariable, ReadTokenKey),
                new V1EnvVar { Name = ReceiverProtocol.BufferBytesVariable, Value = ReceiverProtocol.DefaultBufferBytes.ToString(CultureInfo.InvariantCulture) },
            ],
            ReadinessProbe = probe,
            LivenessProbe = new V1Probe { HttpGet = probe.HttpGet, PeriodSeconds = 10, FailureThreshold = 6 },
            // The buffer's bound plus the runtime: what is buffered never pushes the pod out of its limit.
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("20m"), ["memory"] = new("64Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("160Mi") },
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
        };
    }

    private static V1EnvVar FromSecret(string name, string key) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = Name, Key = key } } };

    private static V1ObjectMeta Metadata(EnvironmentSettings settings) =>
        new() { Name = Name, NamespaceProperty = settings.WorkloadNamespace, Labels = Labels(settings) };

    private static SortedDictionary<string, string> Labels(EnvironmentSettings settings)
    {
        var labels = EnvironmentSettings.OwnedLabels(settings.Name);
        foreach (var label in SelectorLabels(settings))
        {
            labels[label.Key] = label.Value;
        }

        return labels;
    }

    private static SortedDictionary<string, string> SelectorLabels(EnvironmentSettings settings) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = Name,
        [EnvironmentSettings.EnvironmentLabel] = settings.Name,
    };
}
