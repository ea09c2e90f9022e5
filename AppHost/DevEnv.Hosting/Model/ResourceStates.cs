using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.Model;

/// <summary>The states our resources report, with the dashboard style of each.</summary>
public static class ResourceStates
{
    /// <summary>Waiting for what it depends on (Aspire's own word).</summary>
    public const string Waiting = "Waiting";
    /// <summary>Coming up.</summary>
    public const string Starting = "Starting";
    /// <summary>Usable.</summary>
    public const string Running = "Running";
    /// <summary>The image is being published.</summary>
    public const string Building = "Building";
    /// <summary>The image is being uploaded.</summary>
    public const string Pushing = "Pushing";
    /// <summary>A rollout is in progress.</summary>
    public const string RollingOut = "RollingOut";
    /// <summary>Running, but not as asked (fewer pods ready, settings that need a recreate).</summary>
    public const string Degraded = "Degraded";
    /// <summary>Failed; the reason says what to do.</summary>
    public const string Failed = "Failed";
    /// <summary>Going down.</summary>
    public const string Stopping = "Stopping";
    /// <summary>Not running.</summary>
    public const string Stopped = "Stopped";

    /// <summary>Whether dependents can use a resource in this state.</summary>
    public static bool IsUsable(string? state) => state is Running or Degraded;

    /// <summary>The dashboard style of a state.</summary>
    public static string StyleOf(string state) => state switch
    {
        Running => KnownResourceStateStyles.Success,
        Failed => KnownResourceStateStyles.Error,
        Degraded => KnownResourceStateStyles.Warn,
        Stopped => KnownResourceStateStyles.Info,
        _ => KnownResourceStateStyles.Info,
    };
}
