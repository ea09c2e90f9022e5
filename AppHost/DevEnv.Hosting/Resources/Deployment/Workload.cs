using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Resources.Telemetry;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// One project as it runs in the cluster: what differs between projects. Everything else (probes, drain,
/// security context, resources) comes from <see cref="AppContract"/>, the same for every project on ServiceDefaults.
/// </summary>
public sealed record Workload
{
    /// <summary>Name of the Deployment, the Service and the container; the app.kubernetes.io/name label.</summary>
    public required string Name { get; init; }

    /// <summary>The environment (settings.Name), the value of the dev.devenv.environment label.</summary>
    public required string Environment { get; init; }

    /// <summary>The image to run; must carry a content tag or a digest.</summary>
    public required string Image { get; init; }

    /// <summary>The source revision the image was built from (annotation).</summary>
    public required string Revision { get; init; }

    /// <summary>spec.replicas.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>The port the app listens on inside the container.</summary>
    public int ContainerPort { get; init; } = AppContract.HttpPort;

    /// <summary>The Service's node port; null gives a ClusterIP Service (reachable inside the cluster only).</summary>
    public int? NodePort { get; init; }

    /// <summary>The namespace of the Deployment and the Service.</summary>
    public string Namespace { get; init; } = KubernetesClient.DefaultNamespace;

    /// <summary>Where the pods send traces, metrics and logs (the Aspire dashboard's relay); null exports nothing.</summary>
    public PodTelemetry? Telemetry { get; init; }

    /// <summary>The liveness exec command; AppContract's, which names SampleApi's executable, unless a project says otherwise.</summary>
    public IReadOnlyList<string> LivenessCommand { get; init; } = AppContract.LivenessCommand;

    /// <summary>The Service type when the target sets it (a remote target: ClusterIP unless asked); null: NodePort with a node port, else ClusterIP.</summary>
    public string? ServiceType { get; init; }

    /// <summary>The imagePullSecrets Secret the pods pull with, or null (the local registry needs none).</summary>
    public string? PullSecret { get; init; }
}
