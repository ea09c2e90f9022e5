namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The "NetworkSettings" of an inspected container.</summary>
public sealed record NetworkSettings
{
    /// <summary>Network name → membership.</summary>
    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }
}
