using Docker.DotNet.Models;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>Reads the labels DevEnv puts on what it creates (environment, role) from an inspected container or volume.</summary>
public static class DockerLabels
{
    /// <summary>The label's value, or null when the container does not carry it.</summary>
    public static string? Label(this ContainerInspectResponse container, string key) => Find(container.Config?.Labels, key);

    /// <summary>The label's value, or null when the volume does not carry it.</summary>
    public static string? Label(this VolumeResponse volume, string key) => Find(volume.Labels, key);

    private static string? Find(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;
}
