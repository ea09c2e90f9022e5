namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The parts of GET /networks/{id} we use.</summary>
public sealed record NetworkInspect
{
    /// <summary>Network ID.</summary>
    public string Id { get; init; } = "";

    /// <summary>Network name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Driver, e.g. bridge.</summary>
    public string Driver { get; init; } = "";

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Container ID → membership (name, addresses).</summary>
    public IReadOnlyDictionary<string, NetworkContainer>? Containers { get; init; }
}
