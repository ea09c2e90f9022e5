using System.Globalization;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// What the pod commands do: run the agent next to the pod's app, stream its file to
/// <c>&lt;state&gt;/diagnostics/&lt;pod&gt;/</c> with progress in the pod's log, and answer in one line. A file is
/// written as <c>*.partial</c> and renamed when complete, so a pod that goes away mid-collection leaves nothing that
/// looks whole.
/// </summary>
/// <param name="runner">How the agent reaches the pod (ephemeral container in a cluster, a local process in the harness).</param>
/// <param name="folder">Where the files go.</param>
/// <param name="toolsImage">The tools image the ephemeral container runs (the agent published by the image pipeline).</param>
/// <param name="time">The clock (file names).</param>
public sealed class PodDiagnostics(IPodAgentRunner runner, DiagnosticsFolder folder, string toolsImage, TimeProvider time)
{
    /// <summary>Traces <paramref name="pod"/>'s app for <paramref name="duration"/> (CPU sampling) into a .nettrace.</summary>
    public Task<CommandResult> CollectTraceAsync(PodTarget pod, TimeSpan duration, Action<string> log, CancellationToken cancellationToken) =>
        CollectAsync(pod, "trace", ".nettrace",
            ["trace", "--duration", duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)],
            "open it in PerfView or Visual Studio, or `dotnet-trace convert --format Speedscope <file>`", log, cancellationToken);

    /// <summary>Dumps <paramref name="pod"/>'s app (<paramref name="type"/>: full or heap) into a .dmp.</summary>
    public Task<CommandResult> CollectDumpAsync(PodTarget pod, string type, Action<string> log, CancellationToken cancellationToken) =>
        type is "full" or "heap"
            ? CollectAsync(pod, "dump-" + type, ".dmp", ["dump", "--type", type], "open it with `dotnet-dump analyze <file>` (clrstack, dumpheap -stat)", log, cancellationToken)
            : Task.FromResult(CommandResult.Fail($"dump type must be full or heap; got '{type}'"));

    private async Task<CommandResult> CollectAsync(PodTarget pod, string kind, string extension, IReadOnlyList<string> arguments, string howToOpen,
        Action<string> log, CancellationToken cancellationToken)
    {
        var path = folder.NewFile(pod.Pod, kind, extension, time.GetUtcNow());
        var partial = path + ".partial";
        int exit;
        long written;
        var lastMessage = "";
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true))
            {
                var progress = new ProgressStream(file, bytes => log($"{kind}: {Megabytes(bytes)} written so far"));
                exit = await runner.RunAsync(pod, toolsImage, arguments, progress, message =>
                {
                    lastMessage = message;
                    log("agent: " + message);
                }, cancellationToken).ConfigureAwait(false);
                written = progress.Written;
            }
        }
        catch (PodGoneException ex)
        {
            File.Delete(partial);
            return CommandResult.Fail($"{kind} of {pod.Pod} failed: {ex.Message}; nothing was kept");
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        if (exit != AgentExitCodes.Ok)
        {
            File.Delete(partial);
            var why = exit switch
            {
                AgentExitCodes.TargetGone => $"the app in pod {pod.Pod} went away during the {kind}",
                AgentExitCodes.NoTarget => $"no .NET app with a diagnostic port in pod {pod.Pod} (is it gone, or DOTNET_EnableDiagnostics=0?)",
                _ => $"the agent failed (exit {exit}): {Strip(lastMessage)}",
            };
            return CommandResult.Fail($"{kind} of {pod.Pod} failed: {why}; nothing was kept");
        }

        File.Move(partial, path);
        log($"{kind} written: {path} ({Megabytes(written)})");
        return CommandResult.Ok($"{path} ({Megabytes(written)}): {howToOpen}");
    }

    private static string Strip(string message) => message.StartsWith("error: ", StringComparison.Ordinal) ? message[7..] : message;

    /// <summary>A size as people read it (MB with one decimal).</summary>
    public static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
