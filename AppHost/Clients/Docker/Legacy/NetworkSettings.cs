namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The "NetworkSettings" of an inspected container.</summary>
public sealed record NetworkSettings
{
    /// <summary>Network name → membership.</summary>
    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }

    /// <summary>"5000/tcp" → where it is published (null when not published).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? Ports { get; init; }
}
