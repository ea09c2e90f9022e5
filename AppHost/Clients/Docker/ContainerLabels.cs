using Docker.DotNet.Models;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Reads the labels DevEnv puts on what it creates (environment, role) from an inspected container.</summary>
public static class ContainerLabels
{
    /// <summary>The label's value, or null when the container does not carry it.</summary>
    public static string? Label(this ContainerInspectResponse container, string key) =>
        container.Config?.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;
}
