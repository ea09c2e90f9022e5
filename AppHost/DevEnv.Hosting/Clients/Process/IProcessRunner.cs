using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Clients.Process;

/// <summary>
/// The one way every external command (docker, kind, dotnet) is run. Unit tests replace it with
/// a fake that records command lines; integration tests use <see cref="ProcessRunner"/>.
/// </summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs <paramref name="spec"/> to completion, writing each output line to <paramref name="log"/> as it
    /// arrives (and to <paramref name="onLine"/> when given: the line and whether it came from stderr).
    /// Returns whatever the exit code; cancellation kills the whole process tree and throws.
    /// A program that cannot be found throws <see cref="ToolNotFoundException"/>.
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, ResourceLog log, CancellationToken cancellationToken, Action<string, bool>? onLine = null);
}
