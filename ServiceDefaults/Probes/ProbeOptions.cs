namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// Where and how often the running service records its probe state for the <c>probe</c> subcommand
/// (configuration section <c>Probe</c>, environment <c>Probe__StateDirectory</c> and so on).
/// </summary>
public sealed record ProbeOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Probe";

    /// <summary>Directory of the state file; the temp directory by default (an emptyDir at /tmp in the pod).</summary>
    public string StateDirectory { get; init; } = Path.GetTempPath();

    /// <summary>How often the service rewrites the state file (its heartbeat).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A state file older than this counts as a dead or hung process.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The state file of the application called <paramref name="applicationName"/>.</summary>
    public string StateFilePath(string applicationName) => Path.Combine(StateDirectory, $"{applicationName}.probe.json");

    /// <summary>The file the <c>prestop</c> subcommand creates to ask the running service to drain.</summary>
    public string PreStopRequestPath(string applicationName) => Path.Combine(StateDirectory, $"{applicationName}.prestop");
}
