namespace DevEnv.AppHost.Clients.Docker;

/// <summary>A named volume.</summary>
public sealed record VolumeInspect
{
    /// <summary>Volume name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Where its data lives on the daemon's host.</summary>
    public string Mountpoint { get; init; } = "";

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
