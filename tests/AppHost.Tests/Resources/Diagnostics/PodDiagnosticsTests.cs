using System.Collections.Concurrent;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Resources.Diagnostics;

namespace DevEnv.AppHost.Tests.Resources.Diagnostics;

/// <summary>
/// The pod commands' path where no cluster runs: a real SampleApi process under load stands for the pod's app, the real
/// agent runs next to it (<see cref="LocalAgentRunner"/>), and the files it streams to the state folder are opened by the
/// real dotnet-trace and dotnet-dump.
/// </summary>
public sealed class PodDiagnosticsTests : SampleApiProcessTest
{
    private static readonly PodTarget Pod = new("default", "sampleapi-7d9f-abcde", "sampleapi");
    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task Trace_of_the_app_under_load_is_a_nettrace_that_dotnet_trace_converts_and_that_names_SampleApi_methods()
    {
        using var load = new Load(Port);
        var result = await Diagnostics().CollectTraceAsync(Pod, TimeSpan.FromSeconds(4), _log.Enqueue, Ct);

        Assert.True(result.Success, result.Message + "\n" + string.Join('\n', _log));
        var file = Assert.Single(Directory.GetFiles(Path.Combine(State, "diagnostics", Pod.Pod)));
        Assert.EndsWith(".nettrace", file);
        Assert.Contains(_log, l => l.StartsWith($"trace written: {file} (", StringComparison.Ordinal));
        Assert.True(load.Answered > 20, $"the load generator got only {load.Answered} answers");

        var (exit, output) = await DiagnosticsTools.RunAsync(DiagnosticsTools.Tool("dotnet-trace"),
            ["convert", "--format", "Speedscope", file, "-o", Path.Combine(State, "trace")], TimeSpan.FromMinutes(2), Ct);
        Assert.True(exit == 0, output);
        var speedscope = await File.ReadAllTextAsync(Path.Combine(State, "trace.speedscope.json"), Ct);
        Assert.Contains("SampleApi!DevEnv.SampleApi.SampleEndpoints", speedscope);
    }

    [Fact]
    public async Task Dump_of_the_app_under_load_opens_in_dotnet_dump_and_clrstack_shows_SampleApi_threads()
    {
        using var load = new Load(Port);
        var result = await Diagnostics().CollectDumpAsync(Pod, "heap", _log.Enqueue, Ct);

        Assert.True(result.Success, result.Message + "\n" + string.Join('\n', _log));
        var file = Assert.Single(Directory.GetFiles(Path.Combine(State, "diagnostics", Pod.Pod)));
        Assert.EndsWith(".dmp", file);
        var (exit, output) = await DiagnosticsTools.RunAsync(DiagnosticsTools.Tool("dotnet-dump"),
            ["analyze", file, "-c", "clrstack -all", "-c", "exit"], TimeSpan.FromMinutes(2), Ct);
        Assert.True(exit == 0, output);
        Assert.Contains("Program.<Main>(System.String[])", output);
        Assert.Contains("OS Thread Id:", output);
    }

    [Fact]
    public async Task A_pod_that_is_gone_fails_in_one_line_and_leaves_no_file()
    {
        var gone = new PodDiagnostics(new LocalAgentRunner(DiagnosticsTools.Agent, _ => null), new DiagnosticsFolder(State), "unused", TimeProvider.System);

        var result = await gone.CollectDumpAsync(Pod, "full", _log.Enqueue, Ct);

        Assert.False(result.Success);
        Assert.Equal($"dump-full of {Pod.Pod} failed: pod {Pod.Pod} is gone; nothing was kept", result.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(State, "diagnostics"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_app_that_goes_away_mid_trace_fails_in_one_line_and_leaves_no_file()
    {
        var trace = Diagnostics().CollectTraceAsync(Pod, TimeSpan.FromSeconds(20), _log.Enqueue, Ct);
        await WaitForAsync(() => _log.Any(l => l.Contains("tracing process", StringComparison.Ordinal)), "the trace to start");
        App.Kill();

        var result = await trace.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.False(result.Success);
        Assert.Equal($"trace of {Pod.Pod} failed: the app in pod {Pod.Pod} went away during the trace; nothing was kept", result.Message);
        Assert.DoesNotContain('\n', result.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(State, "diagnostics"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Purge_removes_the_collected_files_that_down_keeps()
    {
        var result = await Diagnostics().CollectDumpAsync(Pod, "heap", _log.Enqueue, Ct);
        Assert.True(result.Success, result.Message);
        var folder = new DiagnosticsFolder(State);
        Assert.Single(Directory.GetFiles(folder.Root, "*", SearchOption.AllDirectories));

        Assert.Equal(1, folder.Purge());

        Assert.False(Directory.Exists(folder.Root));
    }

    private PodDiagnostics Diagnostics() =>
        new(new LocalAgentRunner(DiagnosticsTools.Agent, _ => App.Pid), new DiagnosticsFolder(State), "unused", TimeProvider.System);

    private async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"timed out waiting for {what}: {string.Join('\n', _log)}");
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
