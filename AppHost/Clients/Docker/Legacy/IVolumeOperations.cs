namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Named volumes: create, inspect, remove, list by label.</summary>
public interface IVolumeOperations
{
    /// <summary>Creates a volume, or returns the existing one of that name (Docker's create is idempotent).</summary>
    Task<VolumeInspect> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>Inspects a volume, or null when there is none.</summary>
    Task<VolumeInspect?> TryInspectAsync(string name, CancellationToken cancellationToken);

    /// <summary>Removes a volume; a missing one is not an error.</summary>
    Task RemoveAsync(string name, bool force, CancellationToken cancellationToken);

    /// <summary>Volumes carrying <paramref name="label"/> (key or key=value).</summary>
    Task<IReadOnlyList<VolumeInspect>> ListByLabelAsync(string label, CancellationToken cancellationToken);
}
