using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;

namespace DevEnv.Diagnostics.Agent;

/// <summary>
/// An EventPipe session on the target, its stream copied to the output as it comes (the .nettrace format), for a given
/// time; then the session is stopped and the rundown copied too. Nothing is kept in the pod.
/// </summary>
public static class TraceCollector
{
    /// <summary>Traces <paramref name="target"/> for <paramref name="duration"/> into <paramref name="output"/>; returns the bytes written.</summary>
    public static async Task<long> CollectAsync(TargetProcess target, TimeSpan duration, Stream output, TextWriter log, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(target.Pid);
        using var session = await client.StartEventPipeSessionAsync(
            new EventPipeSessionConfiguration(TraceProfile.CpuSampling, circularBufferSizeMB: 256, requestRundown: true, requestStackwalk: true),
            cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync($"tracing process {target.Pid} ({target.CommandLine}) for {duration.TotalSeconds:0} s").ConfigureAwait(false);

        var copy = CopyAsync(session.EventStream, output, cancellationToken);
        var clock = Stopwatch.StartNew();
        // The stream ends early only when the process (or its runtime's session) went away.
        var ended = await Task.WhenAny(copy, Task.Delay(duration, cancellationToken)).ConfigureAwait(false);
        if (ended == copy)
        {
            var bytes = await copy.ConfigureAwait(false);
            throw new TargetGoneException($"process {target.Pid} ended {clock.Elapsed.TotalSeconds:0.0} s into the trace ({bytes} bytes written, incomplete)");
        }

        try
        {
            await session.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException && !target.IsRunning)
        {
            throw new TargetGoneException($"process {target.Pid} ended as the trace was being stopped (incomplete)");
        }

        return await copy.ConfigureAwait(false);
    }

    private static async Task<long> CopyAsync(Stream source, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        try
        {
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }
        }
        catch (IOException)
        {
            // The socket was reset: the process went away. What was copied is returned; the caller says it is incomplete.
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }
}
