using k8s.Models;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// One probe of the rendered container, as the kubelet reads it: an HTTP GET on a container port or an exec command,
/// with its period, timeout and thresholds (Kubernetes' defaults where the manifest leaves a field out).
/// </summary>
/// <param name="Name">startup, readiness or liveness (for messages).</param>
/// <param name="Path">The HTTP path; null for an exec probe.</param>
/// <param name="Port">The container port the HTTP probe targets (a named port resolved); 0 for an exec probe.</param>
/// <param name="Command">The exec command; null for an HTTP probe.</param>
/// <param name="Period">periodSeconds.</param>
/// <param name="Timeout">timeoutSeconds.</param>
/// <param name="FailureThreshold">Consecutive failures after which the kubelet acts.</param>
/// <param name="InitialDelay">initialDelaySeconds.</param>
public sealed record ProbeSpec(string Name, string? Path, int Port, IReadOnlyList<string>? Command, TimeSpan Period, TimeSpan Timeout, int FailureThreshold, TimeSpan InitialDelay)
{
    /// <summary>How long the kubelet lets this probe fail before it acts: period × failureThreshold (plus the initial delay).</summary>
    public TimeSpan Budget => InitialDelay + Period * FailureThreshold;

    /// <summary>
    /// Reads <paramref name="probe"/> of <paramref name="container"/>; throws for a probe the stand-in cannot run
    /// (tcpSocket, grpc, an HTTP probe on another host or scheme, a named port the container does not declare).
    /// </summary>
    public static ProbeSpec From(string name, V1Probe probe, V1Container container)
    {
        // Kubernetes' defaults (core/v1 Probe): period 10 s, timeout 1 s, failureThreshold 3, initialDelay 0.
        var period = TimeSpan.FromSeconds(probe.PeriodSeconds ?? 10);
        var timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1);
        var failures = probe.FailureThreshold ?? 3;
        var delay = TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0);
        if (probe.SuccessThreshold is > 1 && name != "readiness")
        {
            throw new NotSupportedException($"{name} probe: successThreshold must be 1 (the API server rejects anything else)");
        }

        if (probe.Exec is { } exec)
        {
            return new ProbeSpec(name, null, 0, [.. exec.Command], period, timeout, failures, delay);
        }

        if (probe.HttpGet is { } get)
        {
            if (get.Host is not null || (get.Scheme ?? "HTTP") != "HTTP" || get.HttpHeaders is { Count: > 0 })
            {
                throw new NotSupportedException($"{name} probe: the stand-in runs plain HTTP GETs on the pod only");
            }

            return new ProbeSpec(name, get.Path ?? "/", ResolvePort(name, get.Port, container), null, period, timeout, failures, delay);
        }

        throw new NotSupportedException($"{name} probe: only httpGet and exec probes are run by the stand-in kubelet");
    }

    /// <summary>A port number, or the number of the container port with that name.</summary>
    public static int ResolvePort(string what, IntOrString port, V1Container container)
    {
        var value = port.Value;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return container.Ports?.FirstOrDefault(p => p.Name == value)?.ContainerPort
            ?? throw new InvalidOperationException($"{what}: the container declares no port named '{value}'");
    }
}
