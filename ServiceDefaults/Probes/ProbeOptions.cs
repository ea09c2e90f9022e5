namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// The probe side of the service (configuration section <c>Probe</c>, environment <c>Probe__Port</c> and so on):
/// the management port the kubelet probes, the state file the <c>probe</c> subcommand reads, and how the
/// dependency checks behind readiness run.
/// </summary>
public sealed record ProbeOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Probe";

    /// <summary>Default management port.</summary>
    public const int DefaultPort = 8081;

    /// <summary>
    /// The management port: /healthz/startup, /healthz/live and /healthz/ready answer here and only here, on the
    /// same interface as the app's own address. The Service never exposes it; the kubelet probes the pod IP.
    /// </summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Directory of the state file; the temp directory by default (an emptyDir at /tmp in the pod).</summary>
    public string StateDirectory { get; init; } = Path.GetTempPath();

    /// <summary>How often the service ticks and rewrites the state file (its heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A heartbeat older than this counts as a hung process.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each dependency check (tag <c>ready</c>) runs in the background.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A dependency check that has not answered after this long counts as unhealthy.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The state file of the application called <paramref name="applicationName"/>.</summary>
    public string StateFilePath(string applicationName) => Path.Combine(StateDirectory, $"{applicationName}.probe.json");

    /// <summary>
    /// The file the <c>prestop</c> subcommand creates to ask one running instance to drain. Named after the
    /// instance, so a request left behind by an earlier container in the same pod never drains a new one.
    /// </summary>
    public string PreStopRequestPath(string applicationName, string instanceId) =>
        Path.Combine(StateDirectory, $"{applicationName}.{instanceId}.prestop");
}
