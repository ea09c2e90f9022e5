namespace DevEnv.AppHost.Clients.Docker;

/// <summary>What to read from a container's log.</summary>
public sealed record LogsOptions
{
    /// <summary>Keep streaming new lines until cancelled or the container stops.</summary>
    public bool Follow { get; init; }

    /// <summary>Only the last N lines ("all" when null).</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines after this moment.</summary>
    public DateTimeOffset? Since { get; init; }
}
