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

    /// <summary>
    /// Snapshots <paramref name="pod"/>'s GC heap: the agent streams the runtime's heap events (a .nettrace), which
    /// dotnet-gcdump turns into a .gcdump on this host; without dotnet-gcdump the .nettrace is kept with the line that converts it.
    /// </summary>
    public async Task<CommandResult> CollectGcHeapAsync(PodTarget pod, Action<string> log, CancellationToken cancellationToken)
    {
        var (failure, events, _) = await CollectFileAsync(pod, "gcdump", ".nettrace", ["gcdump"], log, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var gcdump = Path.ChangeExtension(events, ".gcdump");
        log($"gcdump: converting the heap events with {GcDump.Executable ?? "dotnet-gcdump"}");
        if (await GcDump.ConvertAsync(events, gcdump, cancellationToken).ConfigureAwait(false) is { } why)
        {
            File.Delete(gcdump);
            var message = $"{events}: the heap events, not converted to a .gcdump ({why}): `dotnet tool install -g dotnet-gcdump`, then `dotnet-gcdump convert {events}`";
            log("gcdump: " + message);
            return CommandResult.Ok(message);
        }

        File.Delete(events);
        var size = Megabytes(new FileInfo(gcdump).Length);
        log($"gcdump written: {gcdump} ({size})");
        return CommandResult.Ok($"{gcdump} ({size}): open it with `dotnet-gcdump report <file>`, Visual Studio or PerfView");
    }

    /// <summary>Turns a heap snapshot's events into a .gcdump (dotnet-gcdump, found as <see cref="GcDumpConverter.Find"/> says).</summary>
    public GcDumpConverter GcDump { get; init; } = GcDumpConverter.Find();

    private async Task<CommandResult> CollectAsync(PodTarget pod, string kind, string extension, IReadOnlyList<string> arguments, string howToOpen,
        Action<string> log, CancellationToken cancellationToken)
    {
        var (failure, path, written) = await CollectFileAsync(pod, kind, extension, arguments, log, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        log($"{kind} written: {path} ({Megabytes(written)})");
        return CommandResult.Ok($"{path} ({Megabytes(written)}): {howToOpen}");
    }

    // Streams the agent's file to <state>/diagnostics/<pod>/ (as .partial until complete); a failure is the command's one line.
    private async Task<(CommandResult? Failure, string Path, long Written)> CollectFileAsync(PodTarget pod, string kind, string extension, IReadOnlyList<string> arguments,
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
            return (CommandResult.Fail($"{kind} of {pod.Pod} failed: {ex.Message}; nothing was kept"), path, 0);
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
            return (CommandResult.Fail($"{kind} of {pod.Pod} failed: {why}; nothing was kept"), path, written);
        }

        File.Move(partial, path);
        return (null, path, written);
    }

    private static string Strip(string message) => message.StartsWith("error: ", StringComparison.Ordinal) ? message[7..] : message;

    /// <summary>A size as people read it (MB with one decimal).</summary>
    public static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
