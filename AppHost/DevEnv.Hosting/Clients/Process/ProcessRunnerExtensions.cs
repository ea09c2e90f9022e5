using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Clients.Process;

/// <summary>Conveniences over <see cref="IProcessRunner"/>.</summary>
public static class ProcessRunnerExtensions
{
    /// <summary>Runs the command and throws <see cref="ProcessFailedException"/> when it exits non-zero.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(this IProcessRunner runner, ProcessSpec spec, ResourceLog log, CancellationToken cancellationToken, Action<string, bool>? onLine = null)
    {
        var result = await runner.RunAsync(spec, log, cancellationToken, onLine).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw new ProcessFailedException(result);
    }
}
