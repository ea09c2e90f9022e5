using Microsoft.Diagnostics.NETCore.Client;

namespace DevEnv.Diagnostics.Agent;

/// <summary>
/// Asks the runtime for a dump (it runs createdump next to itself) into a named pipe in the shared /tmp, and copies the
/// pipe to the output while createdump writes: a dump of any size passes through without touching the pod's disk.
/// </summary>
public static class DumpCollector
{
    /// <summary>The runtime's data access component, which createdump loads from the app's folder.</summary>
    public const string DacLibrary = "libmscordaccore.so";

    /// <summary>The dump kinds by their command-line names, as dotnet-dump names them.</summary>
    public static DumpType TypeOf(string name) => name switch
    {
        "full" => DumpType.Full,
        "heap" => DumpType.WithHeap,
        "mini" => DumpType.Normal,
        "triage" => DumpType.Triage,
        _ => throw new ArgumentException($"--type must be full, heap, mini or triage; got '{name}'"),
    };

    /// <summary>Dumps <paramref name="target"/> into <paramref name="output"/>; returns the bytes written.</summary>
    public static async Task<long> CollectAsync(TargetProcess target, DumpType type, Stream output, TextWriter log, CancellationToken cancellationToken)
    {
        var pipe = Path.Combine(Path.GetTempPath(), $"devenv-dump-{Guid.NewGuid():N}.dmp");
        Fifo.Create(pipe);
        try
        {
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var copy = Task.Run(() => CopyAsync(pipe, output, opened, cancellationToken), CancellationToken.None);
            await log.WriteLineAsync($"dumping process {target.Pid} ({target.CommandLine}), {type}").ConfigureAwait(false);
            try
            {
                await new DiagnosticsClient(target.Pid).WriteDumpAsync(type, pipe, WriteDumpFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ServerErrorException or ServerNotAvailableException or IOException)
            {
                await ReleaseReaderAsync(pipe, opened.Task).ConfigureAwait(false);
                await ((Task)copy).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!target.IsRunning)
                {
                    throw new TargetGoneException($"process {target.Pid} ended while it was being dumped (incomplete)");
                }

                // createdump loads the runtime's DAC from the app's folder; DevEnv's trimmed image leaves it out (4.0 MB).
                if (ex.Message.Contains(DacLibrary, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"the app's image has no {DacLibrary}, which createdump needs (the trimmed image leaves it out, 4.0 MB): use fast mode (DEVENV_IMAGE_MODE=fast) or set DevEnvDebuggerFiles=true in the project", ex);
                }

                throw new InvalidOperationException($"the runtime could not write the dump: {FirstLine(ex.Message)}", ex);
            }

            // createdump has closed the pipe, so the copy sees its end; a runtime that answered without ever opening it
            // would leave the reader waiting, hence the release.
            await ReleaseReaderAsync(pipe, opened.Task).ConfigureAwait(false);
            var bytes = await copy.ConfigureAwait(false);
            return bytes > 0 ? bytes : throw new InvalidOperationException("the runtime reported the dump written, but nothing came through the pipe");
        }
        finally
        {
            File.Delete(pipe);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static async Task<long> CopyAsync(string pipe, Stream output, TaskCompletionSource opened, CancellationToken cancellationToken)
    {
        // Opening a pipe's read end waits for its writer (createdump).
        await using var source = new FileStream(pipe, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        opened.TrySetResult();
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            total += read;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    // When nobody opened the write end, the reader is still blocked in open(): open it ourselves and close it at once.
    private static async Task ReleaseReaderAsync(string pipe, Task opened)
    {
        if (opened.IsCompleted)
        {
            return;
        }

        var release = Task.Run(() => new FileStream(pipe, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0).Dispose());
        await release.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
