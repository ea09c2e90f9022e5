namespace DevEnv.ServiceDefaults.Shutdown;

/// <summary>
/// How the service drains when Kubernetes terminates it (configuration section <c>Shutdown</c>,
/// environment <c>Shutdown__DrainDelay</c> and <c>Shutdown__Timeout</c>).
/// </summary>
public sealed record ShutdownOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Shutdown";

    /// <summary>
    /// How long the server keeps accepting and serving after draining starts (pre-stop or SIGTERM),
    /// with readiness already 503, so load balancers and kube-proxy stop sending before it stops listening.
    /// </summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long in-flight requests may take to finish once the server stops accepting (the host's shutdown
    /// timeout). DrainDelay + Timeout must fit inside the pod's terminationGracePeriodSeconds (default 30 s).
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);
}
