namespace DevEnv.Hosting.Clients.Process;

/// <summary>A required command-line tool is not installed or not on PATH.</summary>
public sealed class ToolNotFoundException(string tool, string? installHint = null)
    : Exception($"'{tool}' was not found on PATH." + (installHint is null ? "" : " " + installHint))
{
    /// <summary>The program that was looked for.</summary>
    public string Tool { get; } = tool;
}
