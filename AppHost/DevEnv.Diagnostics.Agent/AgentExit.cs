namespace DevEnv.Diagnostics.Agent;

/// <summary>The agent's exit codes: the AppHost tells a usage error from a target that is not there or went away.</summary>
public static class AgentExit
{
    /// <summary>The file was written completely.</summary>
    public const int Ok = 0;

    /// <summary>Anything else; stderr says what.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>No .NET process with a diagnostic port was found (or not the one asked for).</summary>
    public const int NoTarget = 3;

    /// <summary>The target process ended while the file was being collected; what was written is incomplete.</summary>
    public const int TargetGone = 4;
}
