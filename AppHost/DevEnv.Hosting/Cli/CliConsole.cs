namespace DevEnv.Hosting.Cli;

/// <summary>
/// Where the verbs write. Results (the YAML of <c>manifests</c>, the tables) go to <see cref="Out"/>;
/// progress and errors to <see cref="Error"/> where a verb's stdout must stay clean. Tests pass StringWriters.
/// </summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Interactive">Whether a person watches a terminal (live table) rather than a log (plain lines).</param>
public sealed record CliConsole(TextWriter Out, TextWriter Error, bool Interactive)
{
    /// <summary>The process's console; interactive when attached to a terminal and not in CI.</summary>
    public static CliConsole System()
    {
        var ci = Environment.GetEnvironmentVariable("CI");
        var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected
            && !(string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1");
        return new CliConsole(Console.Out, Console.Error, interactive);
    }
}
