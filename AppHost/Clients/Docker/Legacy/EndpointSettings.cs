namespace DevEnv.AppHost.Clients.Docker;

/// <summary>A container's membership of one network.</summary>
public sealed record EndpointSettings
{
    /// <summary>Extra DNS names on that network.</summary>
    public IReadOnlyList<string>? Aliases { get; init; }

    /// <summary>The network's ID.</summary>
    public string? NetworkID { get; init; }
}
