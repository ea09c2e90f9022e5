namespace DevEnv.AppHost.Clients.Docker;

/// <summary>One message of a pull or push stream (JSON lines with status, id and progress).</summary>
public sealed record PullProgress
{
    /// <summary>E.g. "Pulling fs layer", "Downloading", "Pull complete".</summary>
    public string? Status { get; init; }

    /// <summary>The layer the message is about.</summary>
    public string? Id { get; init; }

    /// <summary>A progress bar as text.</summary>
    public string? Progress { get; init; }

    /// <summary>Set when the operation failed part-way (the HTTP status was already 200).</summary>
    public string? Error { get; init; }

    /// <summary>The line as a human reads it.</summary>
    public override string ToString() => string.Join(' ', new[] { Id, Status, Progress }.Where(s => !string.IsNullOrEmpty(s)));
}
