using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;

namespace DevEnv.Diagnostics.Agent;

/// <summary>Runs one verb: <c>ps</c>, <c>trace</c>, <c>dump</c>, <c>gcdump</c> or <c>idle</c> (keeps an ephemeral container alive for later execs).</summary>
public static class AgentCommand
{
    /// <summary>Runs <paramref name="args"/>; the file goes to <paramref name="output"/>, messages to <paramref name="log"/>. Returns an <see cref="AgentExit"/> code.</summary>
    public static async Task<int> RunAsync(string[] args, Stream output, TextWriter log, CancellationToken cancellationToken)
    {
        try
        {
            var options = AgentOptions.Parse(args);
            switch (options.Verb)
            {
                case "ps":
                    foreach (var process in TargetProcess.List())
                    {
                        var line = JsonSerializer.SerializeToUtf8Bytes(process, AgentJsonContext.Default.TargetProcess);
                        await output.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                        output.WriteByte((byte)'\n');
                    }

                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return AgentExit.Ok;
                case "trace":
                {
                    var duration = TimeSpan.FromSeconds(double.Parse(options.Get("duration", "30"), NumberStyles.Float, CultureInfo.InvariantCulture));
                    var bytes = await TraceCollector.CollectAsync(TargetProcess.Find(options.Pid), duration, output, log, cancellationToken).ConfigureAwait(false);
                    await log.WriteLineAsync($"trace complete: {bytes} bytes").ConfigureAwait(false);
                    return AgentExit.Ok;
                }

                case "dump":
                {
                    var type = DumpCollector.TypeOf(options.Get("type", "full"));
                    var bytes = await DumpCollector.CollectAsync(TargetProcess.Find(options.Pid), type, output, log, cancellationToken).ConfigureAwait(false);
                    await log.WriteLineAsync($"dump complete: {bytes} bytes").ConfigureAwait(false);
                    return AgentExit.Ok;
                }

                case "gcdump":
                {
                    var bytes = await GcHeapCollector.CollectAsync(TargetProcess.Find(options.Pid), output, log, cancellationToken).ConfigureAwait(false);
                    await log.WriteLineAsync($"heap snapshot complete: {bytes} bytes").ConfigureAwait(false);
                    return AgentExit.Ok;
                }

                case "idle":
                    await IdleAsync(cancellationToken).ConfigureAwait(false);
                    return AgentExit.Ok;
                default:
                    throw new ArgumentException($"unknown verb '{options.Verb}'. {AgentOptions.Usage}");
            }
        }
        catch (ArgumentException ex)
        {
            await log.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return AgentExit.Usage;
        }
        catch (TargetNotFoundException ex)
        {
            await log.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return AgentExit.NoTarget;
        }
        catch (TargetGoneException ex)
        {
            await log.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return AgentExit.TargetGone;
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or InvalidOperationException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            await log.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return AgentExit.Failed;
        }
    }

    // The ephemeral container's own process: waits, doing nothing, until the pod stops it (SIGTERM).
    private static async Task IdleAsync(CancellationToken cancellationToken)
    {
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopped.Cancel();
        });
        await Task.Delay(Timeout.Infinite, stopped.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
