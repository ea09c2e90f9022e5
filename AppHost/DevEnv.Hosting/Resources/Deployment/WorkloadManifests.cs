using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using k8s;
using k8s.Models;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// The Kubernetes objects of one <see cref="Workload"/> as typed <c>k8s.Models</c> objects: its Secret (when it has
/// secret variables), its claims (when it has data volumes), the Deployment and the Service (when it has ports). Pure:
/// the same workload gives the same objects (maps are built in a fixed order), and so the same YAML; secret values are
/// only in the objects that are applied, never in those that are printed.
/// </summary>
public static class WorkloadManifests
{
    /// <summary>Annotation carrying the source revision the image was built from.</summary>
    public const string RevisionAnnotation = "dev.devenv/source-revision";

    /// <summary>Annotation on a printed Secret naming its keys (the values are only ever applied, never printed).</summary>
    public const string SecretKeysAnnotation = "dev.devenv/secret-keys";

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

    /// <summary>
    /// Every object of the workload in apply order: Secret, claims, Deployment, Service. <paramref name="withSecretValues"/>
    /// puts the secret values into the Secret (to apply it); without, the Secret names its keys only (to print it).
    /// </summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> All(Workload workload, bool withSecretValues = false)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        if (Secret(workload, withSecretValues) is { } secret)
        {
            objects.Add(secret);
        }

        objects.AddRange(workload.Volumes.Select(v => Claim(workload, v)));
        objects.Add(Deployment(workload));
        if (workload.Ports.Count > 0)
        {
            objects.Add(Service(workload));
        }

        return objects;
    }

    /// <summary>The Deployment running the workload's image (must carry a content tag, or be a container resource's own image).</summary>
    public static V1Deployment Deployment(Workload workload)
    {
        if (workload.IsProject)
        {
            RequireContentTag(workload.Image);
        }

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [RevisionAnnotation] = workload.Revision };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(workload, workload.Name, annotations),
            Spec = new V1DeploymentSpec
            {
                Replicas = workload.Volumes.Count > 0 ? 1 : workload.Replicas,
                RevisionHistoryLimit = 5,
                ProgressDeadlineSeconds = 120,
                Selector = new V1LabelSelector { MatchLabels = SelectorLabels(workload) },
                Strategy = workload.Volumes.Count > 0
                    // A claim that one node mounts cannot be shared with a surge pod: the old pod goes, then the new one comes.
                    ? new V1DeploymentStrategy { Type = "Recreate" }
                    // One extra pod at a time (the inner loop's: all at once, where the nodes have room; a surge pod
                    // that does not fit waits for an old one to go) and never one fewer ready than asked for: the old
                    // version serves until the new one is ready.
                    : new V1DeploymentStrategy
                    {
                        Type = "RollingUpdate",
                        RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = workload.DevRollout ? "100%" : 1, MaxUnavailable = 0 },
                    },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels(workload), Annotations = annotations },
                    Spec = WorkloadPodSpec.For(workload),
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

    /// <summary>The Service: one port per endpoint under the endpoint's own number; NodePort when one has a node port.</summary>
    public static V1Service Service(Workload workload)
    {
        var type = ServiceType(workload);
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Metadata(workload, workload.Name, annotations: null),
            Spec = new V1ServiceSpec
            {
                Type = type,
                Selector = SelectorLabels(workload),
                Ports = [.. workload.Ports.Select(p => new V1ServicePort
                {
                    Name = p.Name,
                    Protocol = p.Protocol,
                    Port = p.Port,
                    TargetPort = p.Name,
                    NodePort = type == "ClusterIP" ? null : p.NodePort,
                })],
            },
        };
    }

    /// <summary>
    /// The workload's Secret with its secret variables, or null when it has none. Without <paramref name="withValues"/>
    /// it carries no data, only the names of its keys (what <c>manifests</c> prints).
    /// </summary>
    public static V1Secret? Secret(Workload workload, bool withValues)
    {
        if (workload.SecretName is not { } name)
        {
            return null;
        }

        var secrets = workload.Variables.Where(v => v.IsSecret).ToArray();
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = Metadata(workload, name, withValues ? null : new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [SecretKeysAnnotation] = string.Join(",", secrets.Select(v => v.Name)),
            }),
            StringData = withValues ? new SortedDictionary<string, string>(secrets.ToDictionary(v => v.Name, v => v.Value), StringComparer.Ordinal) : null,
        };
    }

    /// <summary>The claim of a data volume (the cluster's default storage class, kept when the workload is deleted).</summary>
    public static V1PersistentVolumeClaim Claim(Workload workload, WorkloadVolume volume) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = Metadata(workload, volume.Name, annotations: null),
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new ResourceQuantity("1Gi") } },
        },
    };

    private static string ServiceType(Workload workload) => workload.ServiceType ?? (workload.Ports.Any(p => p.NodePort is not null) ? "NodePort" : "ClusterIP");

    internal static SortedDictionary<string, string> SelectorLabels(Workload workload) => new(StringComparer.Ordinal)
    {
        [NameLabel] = workload.Name,
        [EnvironmentSettings.EnvironmentLabel] = workload.Environment,
    };

    private static V1ObjectMeta Metadata(Workload workload, string name, IDictionary<string, string>? annotations) => new()
    {
        Name = name,
        NamespaceProperty = workload.Namespace,
        Labels = Labels(workload),
        Annotations = annotations,
    };
}
