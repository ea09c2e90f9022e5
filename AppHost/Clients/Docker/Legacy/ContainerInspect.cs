namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The parts of GET /containers/{id}/json we use.</summary>
public sealed record ContainerInspect
{
    /// <summary>Full container ID.</summary>
    public string Id { get; init; } = "";

    /// <summary>Name with a leading '/'.</summary>
    public string Name { get; init; } = "";

    /// <summary>Runtime state.</summary>
    public ContainerState State { get; init; } = new();

    /// <summary>The networks it is on.</summary>
    public NetworkSettings NetworkSettings { get; init; } = new();
}
