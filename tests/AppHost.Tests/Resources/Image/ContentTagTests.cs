using DevEnv.AppHost.Resources.Image;

namespace DevEnv.AppHost.Tests.Resources.Image;

public sealed class ContentTagTests
{
    [Fact]
    public void Same_inputs_give_the_same_tag_and_any_source_base_or_option_change_gives_another()
    {
        using var ws = new SampleApiWorkspace();
        var project = Path.Combine(ws.Root, "SampleApi", "SampleApi.csproj");
        var tag = ContentTag.Compute(project, ws.Root, "base:1", ImageBuildOptions.Default);

        Assert.Matches("^src-[0-9a-f]{12}$", tag);
        Assert.Equal(tag, ContentTag.Compute(project, ws.Root, "base:1", ImageBuildOptions.Default));
        Assert.NotEqual(tag, ContentTag.Compute(project, ws.Root, "base:2", ImageBuildOptions.Default));
        Assert.NotEqual(tag, ContentTag.Compute(project, ws.Root, "base:1", ImageBuildOptions.Fast));

        // Build output does not count.
        Directory.CreateDirectory(Path.Combine(ws.Root, "SampleApi", "obj"));
        File.WriteAllText(Path.Combine(ws.Root, "SampleApi", "obj", "x.cs"), "noise");
        Directory.CreateDirectory(Path.Combine(ws.Root, "ServiceDefaults", "bin"));
        File.WriteAllText(Path.Combine(ws.Root, "ServiceDefaults", "bin", "y.dll"), "noise");
        Assert.Equal(tag, ContentTag.Compute(project, ws.Root, "base:1", ImageBuildOptions.Default));

        // A referenced project's source and the shared MSBuild props do.
        File.WriteAllText(Path.Combine(ws.Root, "ServiceDefaults", "Extra.cs"), "// change");
        var afterReference = ContentTag.Compute(project, ws.Root, "base:1", ImageBuildOptions.Default);
        Assert.NotEqual(tag, afterReference);
        File.AppendAllText(Path.Combine(ws.Root, "Directory.Build.props"), "\n<!-- change -->");
        Assert.NotEqual(afterReference, ContentTag.Compute(project, ws.Root, "base:1", ImageBuildOptions.Default));
    }

    [Fact]
    public void The_project_closure_follows_project_references()
    {
        using var ws = new SampleApiWorkspace();

        var closure = ContentTag.ProjectClosure(Path.Combine(ws.Root, "SampleApi", "SampleApi.csproj"));

        Assert.Contains(closure, p => p.EndsWith("ServiceDefaults.csproj", StringComparison.Ordinal));
    }
}
