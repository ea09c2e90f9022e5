namespace DevEnv.Hosting.HotReload;

/// <summary>The first byte of each message between the Hot Reload client (dotnet-watch, or DevEnv for the pods) and an agent.</summary>
public static class AgentMessageType
{
    /// <summary>Client → agent: environment variables to set.</summary>
    public const byte SetEnvironmentVariables = 1;

    /// <summary>Client → agent: metadata, IL and PDB deltas to apply.</summary>
    public const byte ManagedCodeUpdate = 2;

    /// <summary>Client → agent: a changed static asset.</summary>
    public const byte StaticAssetUpdate = 3;

    /// <summary>Client → agent: the updates made before the agent connected have all been sent; the app may start.</summary>
    public const byte InitialUpdatesCompleted = 4;

    /// <summary>Agent → client: the agent's version byte (0) and the runtime's update capabilities.</summary>
    public const byte InitializationResponse = 1;

    /// <summary>Agent → client: environment variables set.</summary>
    public const byte EnvironmentVariablesSet = 2;

    /// <summary>Agent → client: an update applied or refused, with the agent's log lines.</summary>
    public const byte UpdateResponse = 3;

    /// <summary>Agent → client: the runtime hit code an update could not carry (a rude edit found at run time).</summary>
    public const byte HotReloadExceptionNotification = 4;
}
