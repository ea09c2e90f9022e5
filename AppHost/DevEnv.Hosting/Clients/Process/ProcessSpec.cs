namespace DevEnv.Hosting.Clients.Process;

/// <summary>An external command to run: the program, its arguments (never a shell string) and where.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Working directory; the current one when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to standard input, then closed. Null leaves stdin empty.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// On cancellation, how long the program gets to clean up after an interrupt (SIGINT, what Ctrl+C at a terminal
    /// sends) before its whole tree is killed. Null kills at once. Windows has no such signal: the tree is killed there.
    /// </summary>
    public TimeSpan? InterruptGrace { get; init; }

    /// <summary>The command as it could be pasted into a POSIX shell.</summary>
    public override string ToString() => CommandLine.Format(FileName, Arguments);
}
