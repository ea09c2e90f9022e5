using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Model;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// The diagnostics commands of a pod resource in the dashboard: Collect trace, Collect dump (full, heap), GC heap
/// snapshot and Attach a debugger. Pods are published through the notification service rather than declared, so their commands are
/// annotations added to each pod resource as it appears; Aspire's command service finds them there.
/// </summary>
/// <param name="diagnostics">What the commands do.</param>
/// <param name="debugger">What the debugger command writes.</param>
/// <param name="folder">Where files go.</param>
/// <param name="target">The pod's namespace and app container, from its resource.</param>
/// <param name="time">The clock.</param>
public sealed class PodDiagnosticsCommands(PodDiagnostics diagnostics, DebuggerAttach debugger, DiagnosticsFolder folder, Func<IResource, PodTarget> target, TimeProvider time)
{
    /// <summary>Collect trace.</summary>
    public const string CollectTrace = "collect-trace";

    /// <summary>Collect dump (full).</summary>
    public const string CollectFullDump = "collect-dump";

    /// <summary>Collect dump (heap).</summary>
    public const string CollectHeapDump = "collect-heap-dump";

    /// <summary>GC heap snapshot (.gcdump).</summary>
    public const string CollectGcHeap = "collect-gcdump";

    /// <summary>Attach a debugger.</summary>
    public const string AttachDebugger = "attach-debugger";

    /// <summary>How long Collect trace samples.</summary>
    public TimeSpan TraceDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Adds the commands to <paramref name="pod"/> (once).</summary>
    public void AddTo(IResource pod)
    {
        if (pod.Annotations.OfType<ResourceCommandAnnotation>().Any(a => a.Name == CollectTrace))
        {
            return;
        }

        Add(pod, CollectTrace, "Collect trace", $"CPU sampling for {TraceDuration.TotalSeconds:0} s into a .nettrace under the state folder (PerfView, Visual Studio, dotnet-trace convert)", "DocumentData",
            (t, log, ct) => diagnostics.CollectTraceAsync(t, TraceDuration, log, ct));
        Add(pod, CollectFullDump, "Collect dump", "A full memory dump of the app into a .dmp under the state folder (dotnet-dump analyze)", "Storage",
            (t, log, ct) => diagnostics.CollectDumpAsync(t, "full", log, ct));
        Add(pod, CollectHeapDump, "Collect heap dump", "The managed heap and stacks only (smaller) into a .dmp under the state folder", "Storage",
            (t, log, ct) => diagnostics.CollectDumpAsync(t, "heap", log, ct));
        Add(pod, CollectGcHeap, "GC heap snapshot", "The managed heap's objects, types and roots (a full GC in the app) into a .gcdump under the state folder (dotnet-gcdump report, Visual Studio, PerfView)", "DataHistogram",
            (t, log, ct) => diagnostics.CollectGcHeapAsync(t, log, ct));
        Add(pod, AttachDebugger, "Attach a debugger", "Writes the VS Code / Visual Studio attach configuration for this pod and says how to use it", "Bug",
            (t, log, _) =>
            {
                var path = debugger.Write(folder, t, time.GetUtcNow());
                log($"debugger configuration written: {path}");
                return Task.FromResult(CommandResult.Ok($"attach configuration written to {path}") with { Details = debugger.Steps(t, path) });
            });
    }

    private void Add(IResource pod, string name, string displayName, string description, string icon,
        Func<PodTarget, Action<string>, CancellationToken, Task<CommandResult>> run)
    {
        pod.Annotations.Add(new ResourceCommandAnnotation(name, displayName,
            // A pod that is gone or going keeps no commands that could run.
            context => context.ResourceSnapshot.State?.Text is "Ready" or "NotReady" ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            async context =>
            {
                // The pod's console log (Aspire gives the command its resource's logger).
                var logger = context.Logger;
                void Log(string line) => logger.LogInformation("{Line}", line);
                var result = await run(target(pod), Log, context.CancellationToken).ConfigureAwait(false);
                (result.Success ? (Action<string>)Log : line => logger.LogError("{Line}", line))($"{displayName}: {result.Message}");
                return result switch
                {
                    { Success: true, Details: { } details } => CommandResults.Success(result.Message, details, CommandResultFormat.Markdown),
                    { Success: true } => CommandResults.Success(result.Message),
                    _ => CommandResults.Failure(result.Message),
                };
            },
            description, parameter: null, confirmationMessage: null, iconName: icon, iconVariant: IconVariant.Regular, isHighlighted: false));
    }
}
