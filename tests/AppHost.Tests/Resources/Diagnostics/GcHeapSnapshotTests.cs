using System.Collections.Concurrent;
using DevEnv.Hosting.Resources.Diagnostics;

namespace DevEnv.AppHost.Tests.Resources.Diagnostics;

/// <summary>
/// GC heap snapshot where no cluster runs: the real agent takes the heap events from a real SampleApi process under load
/// through its diagnostic port, the real dotnet-gcdump turns them into a .gcdump on the host, and its report lists
/// SampleApi's own types.
/// </summary>
public sealed class GcHeapSnapshotTests : SampleApiProcessTest
{
    private static readonly PodTarget Pod = new("default", "sampleapi-6f4c-gcdmp", "sampleapi");
    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task Snapshot_of_the_app_under_load_is_a_gcdump_whose_report_lists_SampleApi_types()
    {
        PodDiagnostics diagnostics = new(new LocalAgentRunner(DiagnosticsTools.Agent, _ => App.Pid), new DiagnosticsFolder(State), "unused", TimeProvider.System)
        {
            GcDump = new GcDumpConverter(DiagnosticsTools.Tool("dotnet-gcdump")),
        };
        using (var load = new Load(Port))
        {
            var result = await diagnostics.CollectGcHeapAsync(Pod, _log.Enqueue, Ct);

            Assert.True(result.Success, result.Message + "\n" + string.Join('\n', _log));
            Assert.True(load.Answered > 0, "the load generator got no answers");
        }

        var file = Assert.Single(Directory.GetFiles(Path.Combine(State, "diagnostics", Pod.Pod)));
        Assert.EndsWith(".gcdump", file);
        Assert.Contains(_log, l => l.StartsWith($"gcdump written: {file} (", StringComparison.Ordinal));
        Assert.Contains(_log, l => l.StartsWith("agent: heap walked: ", StringComparison.Ordinal));
        var (exit, report) = await DiagnosticsTools.RunAsync(DiagnosticsTools.Tool("dotnet-gcdump"), ["report", file], TimeSpan.FromMinutes(2), Ct);
        Assert.True(exit == 0, report);
        Assert.Contains("GC Heap objects", report);
        // SampleApi's own types, from its own assembly.
        Assert.Contains(report.Split('\n'), l => l.Contains("DevEnv.SampleApi.", StringComparison.Ordinal) && l.TrimEnd().EndsWith("[SampleApi.dll]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_dotnet_gcdump_the_heap_events_are_kept_with_the_line_that_converts_them()
    {
        PodDiagnostics diagnostics = new(new LocalAgentRunner(DiagnosticsTools.Agent, _ => App.Pid), new DiagnosticsFolder(State), "unused", TimeProvider.System)
        {
            GcDump = new GcDumpConverter(null),
        };

        var result = await diagnostics.CollectGcHeapAsync(Pod, _log.Enqueue, Ct);

        Assert.True(result.Success, result.Message + "\n" + string.Join('\n', _log));
        var file = Assert.Single(Directory.GetFiles(Path.Combine(State, "diagnostics", Pod.Pod)));
        Assert.EndsWith(".nettrace", file);
        Assert.Equal($"{file}: the heap events, not converted to a .gcdump (dotnet-gcdump is not installed): `dotnet tool install -g dotnet-gcdump`, then `dotnet-gcdump convert {file}`", result.Message);
        // What the line says works: the kept file converts.
        var gcdump = Path.Combine(State, "converted.gcdump");
        var (exit, output) = await DiagnosticsTools.RunAsync(DiagnosticsTools.Tool("dotnet-gcdump"), ["convert", file, "-o", gcdump], TimeSpan.FromMinutes(2), Ct);
        Assert.True(exit == 0 && File.Exists(gcdump), output);
    }
}
