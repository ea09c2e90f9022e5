namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>The agent's exit codes (AppHost/DevEnv.Diagnostics.Agent/AgentExit.cs; the agent is its own project, so they are repeated here).</summary>
public static class AgentExitCodes
{
    /// <summary>Complete.</summary>
    public const int Ok = 0;

    /// <summary>No .NET process with a diagnostic port in the pod.</summary>
    public const int NoTarget = 3;

    /// <summary>The app ended during the collection.</summary>
    public const int TargetGone = 4;

    /// <summary>The agent's executable in the tools image (the SDK's container layout: /app/&lt;AssemblyName&gt;).</summary>
    public const string Executable = "/app/DevEnv.Diagnostics.Agent";
}
