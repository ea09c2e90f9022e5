namespace DevEnv.AppHost.Clients.Docker;

/// <summary>One line a container wrote.</summary>
/// <param name="IsError">Whether it came from stderr.</param>
/// <param name="Text">The line without its newline.</param>
public sealed record LogFrame(bool IsError, string Text);
