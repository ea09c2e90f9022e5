namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The parts of GET /containers/{id}/json we use.</summary>
public sealed record ContainerInspect
{
    /// <summary>Full container ID.</summary>
    public string Id { get; init; } = "";

    /// <summary>Name with a leading '/'.</summary>
    public string Name { get; init; } = "";

    /// <summary>The image ID it was created from.</summary>
    public string Image { get; init; } = "";

    /// <summary>Runtime state.</summary>
    public ContainerState State { get; init; } = new();

    /// <summary>The configuration it was created with.</summary>
    public ContainerConfig Config { get; init; } = new();

    /// <summary>Host-side settings.</summary>
    public HostConfig HostConfig { get; init; } = new();

    /// <summary>Networks and published ports.</summary>
    public NetworkSettings NetworkSettings { get; init; } = new();

    /// <summary>The label value, or null.</summary>
    public string? Label(string key) => Config.Labels is { } labels && labels.TryGetValue(key, out var v) ? v : null;
}
