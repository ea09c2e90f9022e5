namespace DevEnv.AppHost.Clients.Docker;

/// <summary>One entry of GET /containers/json.</summary>
public sealed record ContainerSummary
{
    /// <summary>Full container ID.</summary>
    public string Id { get; init; } = "";

    /// <summary>Names, each with a leading '/'.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>The image as given at create.</summary>
    public string Image { get; init; } = "";

    /// <summary>created, running, exited...</summary>
    public string State { get; init; } = "";

    /// <summary>Labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
