namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The "State" of an inspected container.</summary>
public sealed record ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; init; } = "";

    /// <summary>Whether the main process runs.</summary>
    public bool Running { get; init; }

    /// <summary>Exit code of the last run.</summary>
    public int ExitCode { get; init; }

    /// <summary>Why the daemon could not run it, if it could not.</summary>
    public string? Error { get; init; }

    /// <summary>Killed for running out of memory.</summary>
    public bool OOMKilled { get; init; }
}
