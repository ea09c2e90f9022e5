namespace DevEnv.AppHost.Clients.Docker;

/// <summary>A container's configuration (the "Config" of create and inspect).</summary>
public sealed record ContainerConfig
{
    /// <summary>The image to run.</summary>
    public string? Image { get; init; }

    /// <summary>Command; null keeps the image's.</summary>
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Entrypoint; null keeps the image's.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>KEY=value pairs.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>uid[:gid] or user name; null keeps the image's.</summary>
    public string? User { get; init; }

    /// <summary>Labels; we always put the environment label here.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Ports as "5000/tcp" keys with empty objects.</summary>
    public IReadOnlyDictionary<string, object>? ExposedPorts { get; init; }

    /// <summary>Whether a TTY is attached (then logs are not multiplexed).</summary>
    public bool Tty { get; init; }
}
