using System.Reflection.PortableExecutable;
using DevEnv.Hosting.Clients.Process;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// SampleApi/ReadyToRun.targets for real: the default publish precompiles only the core set, and a one-line app
/// change reuses those images instead of recompiling the framework (their trimmed IL is unchanged).
/// </summary>
public sealed class ReadyToRunPublishTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_default_publish_precompiles_the_core_set_and_a_one_line_change_reuses_its_images()
    {
        using var ws = new SampleApiWorkspace();
        var publishDir = Path.Combine(ws.Root, "publish");
        // Normal verbosity shows each crossgen2 command line the SDK runs.
        var cold = await ws.PublishAsync(publishDir, showMessages: true, Ct);
        Assert.Equal(2, CrossgenRuns(cold));
        Assert.True(IsReadyToRun(publishDir, "System.Private.CoreLib.dll"));
        Assert.True(IsReadyToRun(publishDir, "Microsoft.AspNetCore.Server.Kestrel.Core.dll"));
        Assert.False(IsReadyToRun(publishDir, "System.Linq.dll"));
        Assert.False(IsReadyToRun(publishDir, "SampleApi.dll"));

        ws.Edit(ws.HelloFile, "\"Hello, World!\"", "\"Hello, ReadyToRun!\"");
        var warm = await ws.PublishAsync(publishDir, showMessages: true, Ct);
        Assert.Equal(0, CrossgenRuns(warm));
        Assert.Contains(warm.StandardOutput, l => l.Contains("ReadyToRun: reusing 2 of 2 images", StringComparison.Ordinal));
        Assert.True(IsReadyToRun(publishDir, "System.Private.CoreLib.dll"));

        Assert.Equal("Hello, ReadyToRun!", await SampleApiProcess.GetAsync(Path.Combine(publishDir, "SampleApi"), "/", Ct));
    }

    private static int CrossgenRuns(ProcessResult publish) =>
        publish.StandardOutput.Count(l => l.Contains("/crossgen2 ", StringComparison.Ordinal));

    // A ReadyToRun image carries native code behind the CLI header's ManagedNativeHeader directory; plain IL does not.
    private static bool IsReadyToRun(string directory, string file)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(directory, file)));
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }
}
