namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Named volumes: inspect.</summary>
public interface IVolumeOperations
{
    /// <summary>Inspects a volume, or null when there is none.</summary>
    Task<VolumeInspect?> TryInspectAsync(string name, CancellationToken cancellationToken);
}
