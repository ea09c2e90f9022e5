namespace DevEnv.AppHost.Model;

/// <summary>
/// The states a resource can be in. Shared by the console and the dashboard so both say the same thing.
/// </summary>
public static class ResourceStates
{
    /// <summary>Not started yet, or waiting for a dependency (the reason says which).</summary>
    public const string Waiting = "Waiting";
    /// <summary>Being created or started.</summary>
    public const string Starting = "Starting";
    /// <summary>Up and healthy.</summary>
    public const string Running = "Running";
    /// <summary>An image is being compiled and assembled.</summary>
    public const string Building = "Building";
    /// <summary>An image is being pushed to the registry.</summary>
    public const string Pushing = "Pushing";
    /// <summary>A new version is rolling out.</summary>
    public const string RollingOut = "RollingOut";
    /// <summary>Running, but not everything is healthy (the reason says what).</summary>
    public const string Degraded = "Degraded";
    /// <summary>The last attempt failed (the reason says why).</summary>
    public const string Failed = "Failed";
    /// <summary>Being stopped.</summary>
    public const string Stopping = "Stopping";
    /// <summary>Stopped on purpose.</summary>
    public const string Stopped = "Stopped";

    /// <summary>States in which a resource is considered usable by its dependents.</summary>
    public static bool IsUsable(string state) => state is Running or Degraded;
}
