using System.Globalization;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Resources.Telemetry;
using k8s.Models;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// The pod of a <see cref="Workload"/>: one container with its ports, environment (plain values inline, secret ones
/// from the workload's Secret), probes and pre-stop hook by <see cref="WorkloadShape"/>, and a locked-down security
/// context. Our own images (projects) run as the non-root app user on a read-only root; another's container image keeps
/// its user but gets no capabilities and no privilege escalation.
/// </summary>
public static class WorkloadPodSpec
{
    /// <summary>How long a workload without the app contract keeps serving after it is told to stop: endpoint propagation.</summary>
    public const int PreStopSleepSeconds = 5;

    /// <summary>The pod spec of <paramref name="workload"/>.</summary>
    public static V1PodSpec For(Workload workload) => new()
    {
        AutomountServiceAccountToken = false,
        ImagePullSecrets = workload.PullSecret is { } secret && workload.IsProject ? [new V1LocalObjectReference { Name = secret }] : null,
        EnableServiceLinks = false,
        TerminationGracePeriodSeconds = workload.Shape == WorkloadShape.ContractApp ? AppContract.TerminationGracePeriodSeconds : PreStopSleepSeconds + 30,
        SecurityContext = workload.IsProject
            ? new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = AppContract.UserId,
                RunAsGroup = AppContract.UserId,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            }
            : new V1PodSecurityContext { SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
        Containers = [Container(workload)],
        Volumes = Volumes(workload),
    };

    private static V1Container Container(Workload workload)
    {
        var container = new V1Container
        {
            Name = workload.Name,
            Image = workload.Image,
            // Content tags never change meaning, so a node's cached copy is always the right one.
            ImagePullPolicy = "IfNotPresent",
            Command = workload.Command is { Count: > 0 } command ? [.. command] : null,
            Args = workload.Args.Count > 0 ? [.. workload.Args] : null,
            Ports = [.. Ports(workload)],
            Env = [.. Environment(workload)],
            Resources = new V1ResourceRequirements
            {
                Requests = Quantities(cpu: "50m", memory: "64Mi"),
                // The exec pre-stop starts a second .NET process in the same cgroup: leave it room.
                Limits = workload.IsProject ? Quantities(cpu: "1", memory: "256Mi") : null,
            },
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = workload.IsProject ? true : null,
                RunAsNonRoot = workload.IsProject ? true : null,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts = [.. Mounts(workload)],
        };
        return workload.Shape switch
        {
            WorkloadShape.ContractApp => WithContractProbes(container, workload),
            _ => WithEndpointProbes(container, workload),
        };
    }

    // The app contract: startup, readiness and liveness on the management port (never exposed by the Service), and a
    // pre-stop that turns readiness off and waits the drain delay. Liveness is HTTP, not exec: an exec probe started a
    // second .NET process in the pod every period (0.6-6 s under load against its 5 s timeout, pods killed for it).
    private static V1Container WithContractProbes(V1Container container, Workload workload)
    {
        container.StartupProbe = HttpProbe(AppContract.StartupPath, AppContract.ManagementPortName, periodSeconds: 1, failureThreshold: 30);
        // The inner loop probes readiness every second: a surge pod joins the Service a second sooner after it listens.
        container.ReadinessProbe = HttpProbe(AppContract.ReadinessPath, AppContract.ManagementPortName, periodSeconds: workload.DevRollout ? 1 : 2, failureThreshold: 2);
        container.LivenessProbe = new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = AppContract.LivenessPath, Port = AppContract.ManagementPortName },
            PeriodSeconds = 10,
            TimeoutSeconds = 5,
            FailureThreshold = 3,
        };
        // The app waits the drain delay inside this call (readiness already off), so SIGTERM comes after the endpoints
        // have dropped the pod, and the app does not wait a second time. Exec, not HTTP: only the kubelet can start
        // draining, never a request (the image is shell-less; the app is the command).
        container.Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = [workload.Executable, "prestop"] } } };
        return container;
    }

    // Without the contract: what the model declares (WithHttpProbe), else a TCP check of the first port for startup and
    // readiness; no liveness (a probe that cannot tell a hung app from a busy one only kills it); the pre-stop sleeps so
    // the endpoints drop the pod before SIGTERM (Kubernetes' own sleep action: no shell needed in the image).
    private static V1Container WithEndpointProbes(V1Container container, Workload workload)
    {
        var first = workload.Ports.FirstOrDefault(p => p.Protocol == "TCP");
        V1Probe? Declared(string type) => workload.Probes.FirstOrDefault(p => p.Type == type) is { } probe
            ? HttpProbe(probe.Path, probe.PortName, probe.PeriodSeconds ?? 2, probe.FailureThreshold ?? 3)
            : null;
        V1Probe? Tcp(int period, int failures) => first is null ? null : new V1Probe { TcpSocket = new V1TCPSocketAction { Port = first.Name }, PeriodSeconds = period, TimeoutSeconds = 1, FailureThreshold = failures };
        container.StartupProbe = Declared("startup") ?? Tcp(period: 1, failures: 60);
        container.ReadinessProbe = Declared("readiness") ?? Tcp(period: 2, failures: 2);
        container.LivenessProbe = Declared("liveness");
        container.Lifecycle = first is null ? null : new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = PreStopSleepSeconds } } };
        return container;
    }

    private static IEnumerable<V1ContainerPort> Ports(Workload workload)
    {
        foreach (var port in workload.Ports)
        {
            yield return new V1ContainerPort { Name = port.Name, ContainerPort = port.Port, Protocol = port.Protocol };
        }

        if (workload.Shape == WorkloadShape.ContractApp)
        {
            yield return new V1ContainerPort { Name = AppContract.ManagementPortName, ContainerPort = AppContract.ManagementPort, Protocol = "TCP" };
        }
    }

    private static IEnumerable<V1EnvVar> Environment(Workload workload)
    {
        if (workload.IsProject)
        {
            // Kestrel listens on the http ports the cluster gives the project's endpoints (8080 for the first).
            var http = workload.Ports.Where(p => p.Scheme == "http").Select(p => p.Port.ToString(CultureInfo.InvariantCulture)).ToArray();
            yield return new V1EnvVar { Name = "ASPNETCORE_HTTP_PORTS", Value = http.Length > 0 ? string.Join(';', http) : AppContract.HttpPort.ToString(CultureInfo.InvariantCulture) };
        }

        if (workload.Shape == WorkloadShape.ContractApp)
        {
            yield return new V1EnvVar { Name = AppContract.ManagementPortVariable, Value = AppContract.ManagementPort.ToString(CultureInfo.InvariantCulture) };
            yield return new V1EnvVar { Name = AppContract.DrainDelayVariable, Value = AppContract.ConfigValue(AppContract.DrainDelay) };
            yield return new V1EnvVar { Name = AppContract.ShutdownTimeoutVariable, Value = AppContract.ConfigValue(AppContract.ShutdownTimeout) };
        }

        foreach (var variable in TelemetryEnvironment(workload))
        {
            yield return variable;
        }

        foreach (var variable in workload.Variables)
        {
            yield return variable.IsSecret
                ? new V1EnvVar { Name = variable.Name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = workload.SecretName, Key = variable.Name } } }
                : new V1EnvVar { Name = variable.Name, Value = variable.Value };
        }
    }

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
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = telemetry.SecretName, Key = telemetry.SecretKey, Optional = true } },
        },
        // An inner loop wants a request's trace, log and metrics on screen within a second, not after the SDK's
        // production batching (5 s spans and logs, 60 s metrics); Aspire gives its local processes the same values.
        new V1EnvVar { Name = "OTEL_BSP_SCHEDULE_DELAY", Value = "1000" },
        new V1EnvVar { Name = "OTEL_BLRP_SCHEDULE_DELAY", Value = "1000" },
        new V1EnvVar { Name = "OTEL_METRIC_EXPORT_INTERVAL", Value = "1000" },
    ];

    private static IEnumerable<V1VolumeMount> Mounts(Workload workload)
    {
        if (workload.IsProject)
        {
            yield return new V1VolumeMount { Name = "tmp", MountPath = "/tmp" };
        }

        foreach (var volume in workload.Volumes)
        {
            yield return new V1VolumeMount { Name = volume.Name, MountPath = volume.MountPath, ReadOnlyProperty = volume.ReadOnly ? true : null };
        }
    }

    // .NET writes its diagnostics sockets and temp files to /tmp; the root file system stays read-only.
    private static List<V1Volume>? Volumes(Workload workload)
    {
        var volumes = new List<V1Volume>();
        if (workload.IsProject)
        {
            volumes.Add(new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } });
        }

        volumes.AddRange(workload.Volumes.Select(v => new V1Volume { Name = v.Name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = v.Name } }));
        return volumes.Count > 0 ? volumes : null;
    }

    private static V1Probe HttpProbe(string path, string port, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 1,
        FailureThreshold = failureThreshold,
    };

    private static SortedDictionary<string, ResourceQuantity> Quantities(string cpu, string memory) =>
        new(StringComparer.Ordinal) { ["cpu"] = new ResourceQuantity(cpu), ["memory"] = new ResourceQuantity(memory) };
}
