using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.AppHost.Tests.Resources.Image.Pipeline;

/// <summary>
/// The publish of dotnet-watch's build after a rude edit (issue 23): with no project input changed it is a copy of the
/// changed items, and that copy is byte for byte what <c>dotnet publish --no-build</c> makes of the same build; a new
/// non-C# file (an input of the item list) makes it a real publish again. Real builds and publishes of a SampleApi copy.
/// </summary>
public sealed class WatchBuildPublishTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_changed_project_input_the_watch_build_publish_is_a_copy_equal_to_a_real_publish_and_a_new_content_file_makes_it_real()
    {
        using var ws = new SampleApiWorkspace();
        var options = ImageBuildOptions.HotReload("linux-x64");
        var publisher = new AppPublisher(new ProcessRunner());
        var logs = new TestLogs();
        var work = Path.Combine(ws.Root, "work");
        var publishDir = Path.Combine(work, "publish");
        var items = Path.Combine(work, "items.json");

        await BuildAsync(ws);
        await publisher.PublishAsync(ws.ProjectFile, options, publishDir, items, logs.For("first"), Ct);
        Assert.Contains(logs.GetBacklog("first"), l => l.Text.Contains("dotnet publish --no-build (no earlier publish", StringComparison.Ordinal));

        // A rude edit's rebuild: only C# changed, so the publish is the copy, and it holds the new build.
        ws.Edit(ws.HelloFile, "\"Hello, World!\"", "\"Hello, copy!\"");
        await BuildAsync(ws);
        var copied = await publisher.PublishAsync(ws.ProjectFile, options, publishDir, items, logs.For("second"), Ct);
        Assert.Contains(logs.GetBacklog("second"), l => l.Text.Contains("without MSBuild", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.GetBacklog("second"), l => l.Text.Contains("dotnet publish", StringComparison.Ordinal));
        var real = await publisher.PublishAsync(ws.ProjectFile, options, Path.Combine(work, "real"), Path.Combine(work, "real-items.json"), ResourceLog.None, Ct);
        Assert.Equal(Contents(real), Contents(copied));
        Assert.Equal(real.Executable, copied.Executable);
        Assert.Equal(real.Files.Select(f => (f.RelativePath, f.Kind)), copied.Files.Select(f => (f.RelativePath, f.Kind)));

        // A new content file changes what the publish holds: a real publish again, and the file is in it.
        File.WriteAllText(Path.Combine(ws.Root, "SampleApi", "appsettings.Extra.json"), "{}");
        var again = await publisher.PublishAsync(ws.ProjectFile, options, publishDir, items, logs.For("third"), Ct);
        Assert.Contains(logs.GetBacklog("third"), l => l.Text.Contains("dotnet publish --no-build (a project file, a non-C# file", StringComparison.Ordinal));
        Assert.Contains(again.Files, f => f.RelativePath == "appsettings.Extra.json");
    }

    // Each file's path, layer and bytes (as hex of its SHA-256): what the image's layers are made of.
    private static List<string> Contents(PublishedApp app) => [.. app.Files.Select(f =>
        $"{f.RelativePath} {f.Kind} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f.SourcePath)))}")];

    // The build dotnet-watch makes (its properties), which the publish of the watch build reads.
    private static Task<ProcessResult> BuildAsync(SampleApiWorkspace ws) => new ProcessRunner().RunCheckedAsync(new ProcessSpec("dotnet",
        ["build", ws.ProjectFile, "-c", "Debug", .. DotnetWatchSession.BuildProperties("linux-x64").Select(p => $"-p:{p.Key}={p.Value}"), "-tl:off", "-nologo", "-v:q", "-clp:ErrorsOnly"])
    {
        WorkingDirectory = ws.Root,
        Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
    }, ResourceLog.None, Ct);
}
