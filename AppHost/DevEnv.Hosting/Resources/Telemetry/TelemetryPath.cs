namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>
/// Which path carries a kind cluster's pod telemetry (DEVENV_TELEMETRY_PATH): <c>auto</c> (default) takes the gateway
/// relay on a native Linux engine and the in-cluster receiver under a VM engine (Docker Desktop, Rancher Desktop,
/// Colima, Podman, OrbStack, a remote dockerd); <c>receiver</c> or <c>relay</c> force one. A remote target always uses the receiver.
/// </summary>
public enum TelemetryPath
{
    /// <summary>The relay where it works, else the receiver.</summary>
    Auto,

    /// <summary>The gateway relay (native Linux engine only).</summary>
    Relay,

    /// <summary>The in-cluster receiver read through the API server.</summary>
    Receiver,
}
