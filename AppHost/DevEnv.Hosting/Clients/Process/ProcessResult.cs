namespace DevEnv.Hosting.Clients.Process;

/// <summary>How an external command ended and what it printed.</summary>
public sealed record ProcessResult(ProcessSpec Spec, int ExitCode, IReadOnlyList<string> StandardOutput, IReadOnlyList<string> StandardError, TimeSpan Elapsed)
{
    /// <summary>Standard output joined with newlines.</summary>
    public string Output => string.Join('\n', StandardOutput);

    /// <summary>Standard error joined with newlines.</summary>
    public string Error => string.Join('\n', StandardError);
}
