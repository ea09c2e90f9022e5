using System.Globalization;
using DevEnv.Hosting.Resources.Deployment;
using k8s.Models;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// What the stand-in cluster runs, read from the Deployment the AppHost renders (<see cref="FromDeployment"/>): the
/// image, replicas and rolling-update bounds, the grace period, the preStop command, the probes, the ports, the
/// environment (drain delay and shutdown timeout included), the security context, the tmpfs for the emptyDir and the
/// limits. A test that deliberately runs something else (the control without preStop) says so with <c>with { … }</c>
/// on top of the rendered values. Only <see cref="EndpointPropagationDelay"/> is the harness's own: it models how late
/// the endpoint controller and kube-proxy catch up, which no manifest says.
/// </summary>
public sealed record HarnessOptions
{
    /// <summary>The image the pod template runs.</summary>
    public required string Image { get; init; }

    /// <summary>spec.replicas.</summary>
    public required int Replicas { get; init; }

    /// <summary>Pods above <see cref="Replicas"/> a rolling update may create (maxSurge, a percentage rounded up).</summary>
    public required int MaxSurge { get; init; }

    /// <summary>Pods below <see cref="Replicas"/> that may be unavailable (maxUnavailable, a percentage rounded down).</summary>
    public required int MaxUnavailable { get; init; }

    /// <summary>terminationGracePeriodSeconds: from the start of termination (preStop included) to SIGKILL.</summary>
    public required TimeSpan GracePeriod { get; init; }

    /// <summary>The exec preStop hook, run in the container before SIGTERM; null runs none.</summary>
    public required IReadOnlyList<string>? PreStopCommand { get; init; }

    /// <summary>The app's drain delay (the container's <c>Shutdown__DrainDelay</c>).</summary>
    public required TimeSpan DrainDelay { get; init; }

    /// <summary>The app's shutdown timeout (the container's <c>Shutdown__Timeout</c>).</summary>
    public required TimeSpan ShutdownTimeout { get; init; }

    /// <summary>
    /// The container's other environment variables: literal ones, and those from the workload's rendered Secret
    /// (secretKeyRef, as the kubelet resolves them); other valueFrom ones need a cluster and are left out.
    /// </summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; }

    /// <summary>The port the Service sends traffic to (its targetPort resolved on the container).</summary>
    public required int ContainerPort { get; init; }

    /// <summary>The startup probe; null when the manifest has none (readiness then starts at once).</summary>
    public required ProbeSpec? StartupProbe { get; init; }

    /// <summary>The readiness probe (HTTP): gates the endpoint.</summary>
    public required ProbeSpec ReadinessProbe { get; init; }

    /// <summary>The liveness probe; null when the manifest has none.</summary>
    public required ProbeSpec? LivenessProbe { get; init; }

    /// <summary>runAsUser:runAsGroup of the container (container securityContext over the pod's).</summary>
    public required string User { get; init; }

    /// <summary>readOnlyRootFilesystem.</summary>
    public required bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>allowPrivilegeEscalation: false maps to Docker's no-new-privileges.</summary>
    public required bool NoNewPrivileges { get; init; }

    /// <summary>capabilities.drop.</summary>
    public required IReadOnlyList<string> DropCapabilities { get; init; }

    /// <summary>emptyDir volumes as tmpfs mounts: path and size limit in bytes (0: no limit).</summary>
    public required IReadOnlyList<KeyValuePair<string, long>> Tmpfs { get; init; }

    /// <summary>limits.memory in bytes (0: none); the kubelet puts it on the container's cgroup.</summary>
    public required long MemoryLimitBytes { get; init; }

    /// <summary>limits.cpu in cores (0: none).</summary>
    public required decimal CpuLimit { get; init; }

    /// <summary>progressDeadlineSeconds: a rolling update with no progress for this long fails.</summary>
    public required TimeSpan ProgressDeadline { get; init; }

    /// <summary>
    /// Delay between a pod starting to terminate and its endpoint leaving the proxy's rotation: the time the endpoint
    /// controller and kube-proxy take to catch up. The harness's own number (a property of the cluster, not the manifest).
    /// </summary>
    public TimeSpan EndpointPropagationDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A new replica must be ready within this: the startup probe's budget plus the readiness probe's, bounded by the progress deadline.</summary>
    public TimeSpan ReadyTimeout => TimeSpan.FromTicks(Math.Min(ProgressDeadline.Ticks,
        ((StartupProbe?.Budget ?? TimeSpan.Zero) + ReadinessProbe.Budget + ReadinessProbe.Period).Ticks));

    /// <summary>The ports docker publishes on 127.0.0.1: the Service's target and every port a probe uses.</summary>
    public IReadOnlyList<int> PublishedPorts => new[] { ContainerPort, ReadinessProbe.Port, StartupProbe?.Port ?? 0, LivenessProbe?.Port ?? 0 }.Where(p => p > 0).Distinct().ToList();

    /// <summary>Reads everything from the rendered <paramref name="rendered"/>; throws for what the stand-in cannot honour.</summary>
    public static HarnessOptions FromDeployment(RenderedDeployment rendered)
    {
        var deployment = rendered.Deployment;
        var spec = deployment.Spec;
        var pod = spec.Template.Spec;
        var container = pod.Containers.Single();
        var replicas = spec.Replicas ?? 1;
        var strategy = spec.Strategy;
        if (strategy?.Type is not (null or "RollingUpdate"))
        {
            throw new NotSupportedException($"strategy {strategy?.Type}: the stand-in Deployment controller does rolling updates only");
        }

        var env = (container.Env ?? []).Select(e => (e.Name, Value: e.Value ?? FromSecret(e, rendered.Secret))).Where(e => e.Value is not null)
            .ToDictionary(e => e.Name, e => e.Value!, StringComparer.Ordinal);
        var securityContext = container.SecurityContext;
        var user = securityContext?.RunAsUser ?? pod.SecurityContext?.RunAsUser;
        var group = securityContext?.RunAsGroup ?? pod.SecurityContext?.RunAsGroup;
        if ((securityContext?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot) == true && user is null or 0)
        {
            throw new InvalidOperationException("runAsNonRoot without a non-zero runAsUser: the kubelet would refuse to start the container");
        }

        var limits = container.Resources?.Limits;
        var servicePort = rendered.Service.Spec.Ports.Single();
        return new HarnessOptions
        {
            Image = container.Image,
            Replicas = replicas,
            MaxSurge = Scaled(strategy?.RollingUpdate?.MaxSurge?.Value ?? "25%", replicas, roundUp: true),
            MaxUnavailable = Scaled(strategy?.RollingUpdate?.MaxUnavailable?.Value ?? "25%", replicas, roundUp: false),
            GracePeriod = TimeSpan.FromSeconds(pod.TerminationGracePeriodSeconds ?? 30),
            PreStopCommand = container.Lifecycle?.PreStop is { } preStop
                ? preStop.Exec?.Command?.ToList() ?? throw new NotSupportedException("preStop: the stand-in runs exec hooks only")
                : null,
            DrainDelay = Duration(env, AppContract.DrainDelayVariable),
            ShutdownTimeout = Duration(env, AppContract.ShutdownTimeoutVariable),
            Environment = [.. env.Where(e => e.Key is not (AppContract.DrainDelayVariable or AppContract.ShutdownTimeoutVariable))],
            ContainerPort = ProbeSpec.ResolvePort("the Service's targetPort", servicePort.TargetPort ?? servicePort.Port, container),
            StartupProbe = container.StartupProbe is { } startup ? ProbeSpec.From("startup", startup, container) : null,
            ReadinessProbe = ProbeSpec.From("readiness", container.ReadinessProbe ?? throw new NotSupportedException("no readiness probe: the stand-in gates endpoints on it"), container),
            LivenessProbe = container.LivenessProbe is { } liveness ? ProbeSpec.From("liveness", liveness, container) : null,
            User = user is null ? "" : group is null ? user.Value.ToString(CultureInfo.InvariantCulture) : $"{user}:{group}",
            ReadOnlyRootFilesystem = securityContext?.ReadOnlyRootFilesystem ?? false,
            NoNewPrivileges = securityContext?.AllowPrivilegeEscalation == false,
            DropCapabilities = [.. securityContext?.Capabilities?.Drop ?? []],
            Tmpfs = [.. (container.VolumeMounts ?? []).Select(m => TmpfsMount(m, pod))],
            MemoryLimitBytes = limits is not null && limits.TryGetValue("memory", out var memory) ? memory.ToInt64() : 0,
            CpuLimit = limits is not null && limits.TryGetValue("cpu", out var cpu) ? cpu.ToDecimal() : 0,
            ProgressDeadline = TimeSpan.FromSeconds(spec.ProgressDeadlineSeconds ?? 600),
        };
    }

    // A secretKeyRef into the workload's own Secret, read as the kubelet would; null for any other valueFrom. A reference to
    // a Secret that was not rendered fails, unless it is optional (the telemetry headers: no relay runs here).
    private static string? FromSecret(V1EnvVar variable, V1Secret? secret)
    {
        if (variable.ValueFrom?.SecretKeyRef is not { } reference)
        {
            return null;
        }

        if (secret?.Metadata.Name == reference.Name && secret.StringData?.TryGetValue(reference.Key, out var value) == true)
        {
            return value;
        }

        return reference.Optional == true ? null : throw new InvalidOperationException($"{variable.Name} reads key {reference.Key} of Secret {reference.Name}, which the rendered objects do not have");
    }

    // The Deployment controller's rounding: maxSurge rounds up, maxUnavailable down.
    private static int Scaled(string value, int replicas, bool roundUp)
    {
        if (!value.EndsWith('%'))
        {
            return int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        var share = replicas * int.Parse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture) / 100.0;
        return (int)(roundUp ? Math.Ceiling(share) : Math.Floor(share));
    }

    private static TimeSpan Duration(Dictionary<string, string> env, string name) =>
        env.TryGetValue(name, out var value)
            ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"the rendered container sets no {name}; the stand-in reads the app's shutdown timings from the manifest");

    private static KeyValuePair<string, long> TmpfsMount(V1VolumeMount mount, V1PodSpec pod)
    {
        var volume = pod.Volumes?.FirstOrDefault(v => v.Name == mount.Name) ?? throw new InvalidOperationException($"volume mount {mount.Name} has no volume");
        var emptyDir = volume.EmptyDir ?? throw new NotSupportedException($"volume {mount.Name}: the stand-in mounts emptyDir volumes only (as tmpfs)");
        return new(mount.MountPath, emptyDir.SizeLimit?.ToInt64() ?? 0);
    }
}
