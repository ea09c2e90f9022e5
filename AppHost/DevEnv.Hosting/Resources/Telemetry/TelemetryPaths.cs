using DevEnv.Hosting.Clients.Docker;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>Reads and applies <see cref="TelemetryPath"/>.</summary>
public static class TelemetryPaths
{
    /// <summary>The setting's name.</summary>
    public const string Variable = "DEVENV_TELEMETRY_PATH";

    /// <summary>The setting from its text; a wrong value is one line naming the choices.</summary>
    public static TelemetryPath Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => TelemetryPath.Auto,
        "relay" or "gateway" => TelemetryPath.Relay,
        "receiver" => TelemetryPath.Receiver,
        var other => throw new ArgumentException($"{Variable}='{other}' is not valid (use auto, receiver or relay)."),
    };

    /// <summary>Whether the receiver carries the telemetry of a kind cluster on <paramref name="engine"/> (null: not identified, taken as native).</summary>
    public static bool UsesReceiver(TelemetryPath path, ContainerEngine? engine) => path switch
    {
        TelemetryPath.Receiver => true,
        TelemetryPath.Relay => false,
        _ => engine is { GatewayRelayWorks: false },
    };
}
