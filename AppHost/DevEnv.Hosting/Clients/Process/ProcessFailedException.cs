namespace DevEnv.Hosting.Clients.Process;

/// <summary>
/// An external command exited non-zero. The message holds the command as it can be pasted into a
/// shell, the exit code and the last lines of stderr (or stdout when stderr is empty).
/// </summary>
public sealed class ProcessFailedException(ProcessResult result)
    : Exception(Describe(result))
{
    private const int TailLines = 20;

    /// <summary>The run that failed.</summary>
    public ProcessResult Result { get; } = result;

    private static string Describe(ProcessResult r)
    {
        var tail = (r.StandardError.Count > 0 ? r.StandardError : r.StandardOutput).TakeLast(TailLines).ToArray();
        var message = $"Command failed with exit code {r.ExitCode}: {r.Spec}";
        return tail.Length == 0 ? message : message + "\n" + string.Join('\n', tail.Select(l => "  " + l));
    }
}
