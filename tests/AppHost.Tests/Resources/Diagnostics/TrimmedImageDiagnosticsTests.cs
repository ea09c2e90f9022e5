using System.Collections.Concurrent;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Resources.Diagnostics;

namespace DevEnv.AppHost.Tests.Resources.Diagnostics;

/// <summary>
/// The same commands on SampleApi as the trimmed image ships it (self-contained, trimmed, the debugger and DAC files left
/// out by SampleApi/Publish.targets): the trace works; a dump cannot, and the command says why and what to do.
/// </summary>
public sealed class TrimmedImageDiagnosticsTests : IAsyncLifetime
{
    private static readonly PodTarget Pod = new("default", "sampleapi-trim-0", "sampleapi");
    private readonly SampleApiWorkspace _workspace = new();
    private readonly string _state = Directory.CreateTempSubdirectory("devenv-diag-trim-").FullName;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly int _port = FreePort.Next();
    private ChildProcess? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var output = Path.Combine(_workspace.Root, "out");
        var (exit, log) = await DiagnosticsTools.RunAsync("dotnet", ["publish", _workspace.ProjectFile, "-c", "Release", "-o", output, "-nologo", "-v", "q"], TimeSpan.FromMinutes(5), Ct);
        Assert.True(exit == 0, log);
        Assert.False(File.Exists(Path.Combine(output, DacLibrary)), "the trimmed publish is expected to leave out " + DacLibrary);
        _app = await DiagnosticsTools.StartSampleApiAsync(Path.Combine(output, "SampleApi"), _port, Ct);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_state, recursive: true);
        _workspace.Dispose();
    }

    private const string DacLibrary = "libmscordaccore.so";

    [Fact]
    public async Task Trace_works_on_the_trimmed_app_and_a_dump_says_the_trimmed_image_lacks_the_dac_and_to_use_fast_mode()
    {
        var diagnostics = new PodDiagnostics(new LocalAgentRunner(DiagnosticsTools.Agent, _ => _app!.Pid), new DiagnosticsFolder(_state), "unused", TimeProvider.System);
        using (new Load(_port))
        {
            var trace = await diagnostics.CollectTraceAsync(Pod, TimeSpan.FromSeconds(3), _log.Enqueue, Ct);
            Assert.True(trace.Success, trace.Message + "\n" + string.Join('\n', _log));
        }

        var file = Assert.Single(Directory.GetFiles(Path.Combine(_state, "diagnostics", Pod.Pod), "*.nettrace"));
        var (exit, output) = await DiagnosticsTools.RunAsync(DiagnosticsTools.Tool("dotnet-trace"),
            ["convert", "--format", "Speedscope", file, "-o", Path.Combine(_state, "trace")], TimeSpan.FromMinutes(2), Ct);
        Assert.True(exit == 0, output);
        Assert.Contains("SampleApi!DevEnv.SampleApi.SampleEndpoints", await File.ReadAllTextAsync(Path.Combine(_state, "trace.speedscope.json"), Ct));

        var dump = await diagnostics.CollectDumpAsync(Pod, "heap", _log.Enqueue, Ct);

        Assert.False(dump.Success);
        Assert.Equal($"dump-heap of {Pod.Pod} failed: the agent failed (exit 1): the app's image has no {DacLibrary}, which createdump needs (the trimmed image leaves it out, 4.0 MB): use fast mode (DEVENV_IMAGE_MODE=fast) or set DevEnvDebuggerFiles=true in the project; nothing was kept", dump.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_state, "diagnostics", Pod.Pod), "*.dmp*"));
    }
}
