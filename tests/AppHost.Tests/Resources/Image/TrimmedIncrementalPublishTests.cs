namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// The image's publish (shipping options, without the container step) done twice into the same obj/ and publish
/// folder, the way the watch loop rebuilds: a change that starts using a framework assembly the first publish had
/// trimmed away must run after the second. It did not while the SDK kept the first publish's trimmed deps.json
/// (see SampleApi/Publish.targets).
/// </summary>
public sealed class TrimmedIncrementalPublishTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_change_that_uses_a_framework_assembly_the_last_publish_trimmed_away_runs_after_an_incremental_publish()
    {
        using var ws = new SampleApiWorkspace();
        var publishDir = Path.Combine(ws.Root, "publish");
        await ws.PublishAsync(publishDir, showMessages: false, Ct);
        Assert.True(File.Exists(Path.Combine(publishDir, "SampleApi")));
        // Without this the test proves nothing: the assembly must be one the trimmer dropped the first time.
        Assert.False(File.Exists(Path.Combine(publishDir, "System.Formats.Tar.dll")), "System.Formats.Tar is no longer trimmed away; pick another unused framework assembly");

        File.WriteAllText(Path.Combine(ws.Root, "SampleApi", "TarGreeting.cs"), """
            using System.Formats.Tar;

            namespace DevEnv.SampleApi;

            internal static class TarGreeting
            {
                public static string Get()
                {
                    using var stream = new MemoryStream();
                    using (var writer = new TarWriter(stream, leaveOpen: true))
                    {
                        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt"));
                    }

                    stream.Position = 0;
                    using var reader = new TarReader(stream);
                    return "tar: " + reader.GetNextEntry()!.Name;
                }
            }
            """);
        ws.Edit(ws.HelloFile, "\"Hello, World!\"", "TarGreeting.Get()");
        await ws.PublishAsync(publishDir, showMessages: false, Ct);

        Assert.Equal("tar: hello.txt", await SampleApiProcess.GetAsync(Path.Combine(publishDir, "SampleApi"), "/", Ct));
    }
}
