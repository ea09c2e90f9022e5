namespace DevEnv.AppHost.Clients.Docker;

/// <summary>A container attached to a network, as the network lists it.</summary>
public sealed record NetworkContainer
{
    /// <summary>The container's name.</summary>
    public string Name { get; init; } = "";
}
