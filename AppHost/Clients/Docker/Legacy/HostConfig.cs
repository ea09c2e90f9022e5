namespace DevEnv.AppHost.Clients.Docker;

/// <summary>The host-side settings of a container (ports, mounts, hardening).</summary>
public sealed record HostConfig
{
    /// <summary>"5000/tcp" → bindings.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>>? PortBindings { get; init; }

    /// <summary>"source:target[:ro]" for bind mounts and named volumes.</summary>
    public IReadOnlyList<string>? Binds { get; init; }

    /// <summary>Paths mounted as tmpfs, with options.</summary>
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }

    /// <summary>Read-only root file system.</summary>
    public bool ReadonlyRootfs { get; init; }

    /// <summary>Capabilities to drop, e.g. ALL.</summary>
    public IReadOnlyList<string>? CapDrop { get; init; }

    /// <summary>E.g. no-new-privileges.</summary>
    public IReadOnlyList<string>? SecurityOpt { get; init; }

    /// <summary>The network the container starts on.</summary>
    public string? NetworkMode { get; init; }

    /// <summary>Restart policy.</summary>
    public RestartPolicy? RestartPolicy { get; init; }
}
