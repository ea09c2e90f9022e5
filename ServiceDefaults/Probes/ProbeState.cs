using System.Text.Json.Serialization;

namespace DevEnv.ServiceDefaults.Probes;

/// <summary>
/// What the running service writes to its state file for the <c>probe</c> subcommand: one answer per
/// probe, the heartbeat time, and who wrote it (pid, process start time, boot id), so a probe never takes a
/// file left behind by a dead process for a live one.
/// </summary>
public sealed record ProbeState
{
    /// <summary>The service's process id.</summary>
    public int ProcessId { get; init; }

    /// <summary>The process's start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22); 0 where unknown.</summary>
    public long ProcessStartTicks { get; init; }

    /// <summary>The kernel's boot id; empty where unknown.</summary>
    public string BootId { get; init; } = "";

    /// <summary>Names this process uniquely across restarts (pid + start time), e.g. for its prestop request file.</summary>
    public string InstanceId { get; init; } = "";

    /// <summary>When this state was written (the heartbeat).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Starting, Running, Draining or Stopping.</summary>
    public string Phase { get; init; } = "Starting";

    /// <summary>Answer to the startup probe.</summary>
    public bool Started { get; init; }

    /// <summary>Answer to the readiness probe (false while draining or while a dependency check fails).</summary>
    public bool Ready { get; init; }

    /// <summary>Answer to the liveness probe (stays true while draining).</summary>
    public bool Live { get; init; }

    /// <summary>When draining started, if it has.</summary>
    public DateTimeOffset? DrainingSince { get; init; }

    /// <summary>The configured drain delay in milliseconds (the prestop subcommand waits it out).</summary>
    public double DrainDelayMs { get; init; }
}

/// <summary>Trim-safe JSON for <see cref="ProbeState"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProbeState))]
internal sealed partial class ProbeStateJsonContext : JsonSerializerContext;
