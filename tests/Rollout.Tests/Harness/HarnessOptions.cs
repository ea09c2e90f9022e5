namespace DevEnv.Rollout.Tests.Harness;

/// <summary>The knobs of the stand-in cluster; defaults mirror the Deployment the AppHost renders.</summary>
public sealed record HarnessOptions
{
    /// <summary>Desired replicas. Default 3.</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Pods above <see cref="Replicas"/> a rolling update may create. Default 1.</summary>
    public int MaxSurge { get; init; } = 1;

    /// <summary>Pods below <see cref="Replicas"/> that may be unavailable during a rolling update. Default 0.</summary>
    public int MaxUnavailable { get; init; }

    /// <summary>How often each replica's readiness endpoint is polled (the readiness probe's periodSeconds). Default 100 ms.</summary>
    public TimeSpan ReadinessPeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Delay between a pod starting to terminate and its endpoint leaving the proxy's rotation: the time the
    /// endpoint controller and kube-proxy take to catch up. Default 1 s.
    /// </summary>
    public TimeSpan EndpointPropagationDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>terminationGracePeriodSeconds: from the start of termination to SIGKILL. Default 30 s.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the kubelet runs the exec preStop hook (<see cref="PreStopCommand"/>) before SIGTERM. Default true.</summary>
    public bool PreStop { get; init; } = true;

    /// <summary>The app's drain delay after SIGTERM (<c>Shutdown__DrainDelay</c>). Null leaves the app's default.</summary>
    public TimeSpan? DrainDelay { get; init; }

    /// <summary>The app's shutdown timeout (<c>Shutdown__Timeout</c>). Null leaves the app's default.</summary>
    public TimeSpan? ShutdownTimeout { get; init; }

    /// <summary>Readiness path polled on the management port. Default /healthz/ready.</summary>
    public string ReadinessPath { get; init; } = "/healthz/ready";

    /// <summary>The exec preStop hook, run in the container as the kubelet does. Default <c>/app/SampleApi prestop</c>.</summary>
    public IReadOnlyList<string> PreStopCommand { get; init; } = ["/app/SampleApi", "prestop"];

    /// <summary>A new replica not ready after this long fails the operation. Default 30 s.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Port the app listens on inside the container (the Service's target). Default 8080.</summary>
    public int ContainerPort { get; init; } = 8080;

    /// <summary>The management port inside the container, where the probes answer (never behind the Service). Default 8081.</summary>
    public int ManagementPort { get; init; } = 8081;
}
