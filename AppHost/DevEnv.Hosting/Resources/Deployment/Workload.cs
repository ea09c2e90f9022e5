using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Resources.Telemetry;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// One resource of the app model as it runs in the cluster: what differs between workloads. What is the same for every
/// project on DevEnv's app contract (probe timings, drain, security context) comes from <see cref="AppContract"/>. The
/// defaults describe SampleApi: a project on the contract with one http port.
/// </summary>
public sealed record Workload
{
    private readonly IReadOnlyList<WorkloadPort>? _ports;

    /// <summary>Name of the Deployment, the Service and the container; the app.kubernetes.io/name label.</summary>
    public required string Name { get; init; }

    /// <summary>The environment (settings.Name), the value of the dev.devenv.environment label.</summary>
    public required string Environment { get; init; }

    /// <summary>The image to run; must carry a content tag or a digest.</summary>
    public required string Image { get; init; }

    /// <summary>The source revision the image was built from (annotation).</summary>
    public required string Revision { get; init; }

    /// <summary>What the pods can be asked to do: it decides the probes and the pre-stop hook.</summary>
    public WorkloadShape Shape { get; init; } = WorkloadShape.ContractApp;

    /// <summary>The app's executable in the image (/app/&lt;AssemblyName&gt;), which the contract's probes and pre-stop run.</summary>
    public string Executable { get; init; } = AppContract.Executable;

    /// <summary>spec.replicas.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>The port the app listens on inside the container when <see cref="Ports"/> is not given.</summary>
    public int ContainerPort { get; init; } = AppContract.HttpPort;

    /// <summary>The node port of the default http port when <see cref="Ports"/> is not given; null gives a ClusterIP Service.</summary>
    public int? NodePort { get; init; }

    /// <summary>The workload's ports (container, Service, node); default one http port on <see cref="ContainerPort"/>.</summary>
    public IReadOnlyList<WorkloadPort> Ports
    {
        get => _ports ?? [new WorkloadPort(AppContract.HttpPortName, ContainerPort, NodePort: NodePort, EndpointName: AppContract.HttpPortName)];
        init => _ports = value;
    }

    /// <summary>The environment Aspire's model gives the resource, evaluated for the cluster.</summary>
    public IReadOnlyList<WorkloadVariable> Variables { get; init; } = [];

    /// <summary>The container's command (a container resource's entrypoint); null keeps the image's.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>The container's arguments; empty keeps the image's.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Data volumes; a workload with one runs a single replica that is replaced, never surged.</summary>
    public IReadOnlyList<WorkloadVolume> Volumes { get; init; } = [];

    /// <summary>HTTP probes the model declares (Aspire's WithHttpProbe), used where the app has no contract of its own.</summary>
    public IReadOnlyList<WorkloadProbe> Probes { get; init; } = [];

    /// <summary>The namespace of the Deployment and the Service.</summary>
    public string Namespace { get; init; } = KubernetesClient.DefaultNamespace;

    /// <summary>Where the pods send traces, metrics and logs (the Aspire dashboard's relay); null exports nothing.</summary>
    public PodTelemetry? Telemetry { get; init; }


    /// <summary>The Service type when the target sets it (a remote target: ClusterIP unless asked); null: NodePort with a node port, else ClusterIP.</summary>
    public string? ServiceType { get; init; }

    /// <summary>The imagePullSecrets Secret the pods pull with, or null (the local registry needs none).</summary>
    public string? PullSecret { get; init; }

    /// <summary>
    /// The inner loop's rollout (the images of dotnet-watch's builds): every replica surges at once (maxSurge 100%, still
    /// never one fewer ready than asked for) and readiness is probed every second, so a rebuild serves soon after its
    /// push. The shipping rollout (false) replaces one pod at a time.
    /// </summary>
    public bool DevRollout { get; init; }

    /// <summary>Whether the workload was built from a project (our image: non-root, read-only root, its telemetry settings).</summary>
    public bool IsProject => Shape != WorkloadShape.Container;

    /// <summary>The name of the workload's Secret (its secret variables), or null when it has none.</summary>
    public string? SecretName => Variables.Any(v => v.IsSecret) ? Name + "-env" : null;
}
