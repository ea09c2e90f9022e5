using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using Docker.DotNet.Models;
using DevEnv.AppHost.Tests.Resources.Registry;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// The tag comes from the image, not from a guess at the inputs (issue 13's cases, with real publishes in fast mode to
/// keep the run short; the tag rule is the same in both modes): whatever changes the output gives a new tag, whatever
/// does not keeps it, uploads nothing and announces nothing.
/// </summary>
public sealed class ImageTagTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Output_changes_give_a_new_tag_and_editor_files_docs_or_inert_msbuild_changes_keep_it()
    {
        using var ws = new SampleApiWorkspace();
        await using var h = new RegistryTestHarness(s => s with { SourceRoot = ws.Root });
        await h.StartRegistryAsync(Ct);
        var docker = h.Env.Engine;
        // A base of our own name, so the test can move its tag the way a registry moves 10.0 to a patched image.
        var baseRepository = $"devenv-test-{h.Env.Name}/runtime-deps";
        await docker.Images.TagImageAsync(DockerTestEnvironment.FixtureBaseImage, new ImageTagParameters { RepositoryName = baseRepository, Tag = "10.0" }, Ct);
        try
        {
            var image = new ProjectImageResource("image", h.Settings, new ProcessRunner(), h.Registry.Oci)
            {
                BaseImage = baseRepository + ":10.0",
                BaseImages = new BaseImageResolver(docker, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(false)),
                Options = ImageBuildOptions.Fast,
            };
            var context = h.ContextFor(image);
            var announced = 0;
            image.ImageAvailable += (_, _) => announced++;
            var app = Path.Combine(ws.Root, "SampleApi");

            var tag = (await Build(image, context)).Tag;
            Assert.Equal(1, announced);

            // Not part of the output: a README, a vim swap file, an emacs lock (a dangling symlink), an inert property
            // in a newly imported props file. Same image: the registry has it, nothing uploaded, nothing announced.
            File.WriteAllText(Path.Combine(app, "README.md"), "# notes\n");
            await Same(tag, image, context);
            File.WriteAllBytes(Path.Combine(app, ".Program.cs.swp"), [0x62, 0x30, 0x56, 0x49, 0x4d, 0x20, 0x39, 0x2e, 0x30]);
            await Same(tag, image, context);
            File.CreateSymbolicLink(Path.Combine(app, ".#Program.cs"), "user@host.4242:1764000000");
            await Same(tag, image, context);
            Directory.CreateDirectory(Path.Combine(ws.Root, "build"));
            File.WriteAllText(Path.Combine(ws.Root, "build", "Stamp.props"), "<Project><PropertyGroup><DevEnvNotes>1</DevEnvNotes></PropertyGroup></Project>");
            ws.Edit(Path.Combine(ws.Root, "Directory.Build.props"), "<Project>", "<Project>\n  <Import Project=\"build/Stamp.props\" />");
            await Same(tag, image, context);
            Assert.Equal(1, announced);

            // Part of the output: a property in that imported props file that reaches the assembly ...
            File.WriteAllText(Path.Combine(ws.Root, "build", "Stamp.props"), "<Project><PropertyGroup><Company>Stamp 2</Company></PropertyGroup></Project>");
            tag = await New(tag, image, context);
            // ... a shared Compile item from outside the project folder, and then a change to it ...
            Directory.CreateDirectory(Path.Combine(ws.Root, "Shared"));
            File.WriteAllText(Path.Combine(ws.Root, "Shared", "Motto.cs"), "namespace DevEnv.Shared;\n\npublic static class Motto\n{\n    public const string Text = \"one\";\n}\n");
            ws.Edit(Path.Combine(app, "SampleApi.csproj"), "</Project>", "  <ItemGroup>\n    <Compile Include=\"..\\Shared\\*.cs\" />\n  </ItemGroup>\n</Project>");
            tag = await New(tag, image, context);
            ws.Edit(Path.Combine(ws.Root, "Shared", "Motto.cs"), "\"one\"", "\"two\"");
            tag = await New(tag, image, context);
            // ... a change in the referenced ServiceDefaults project ...
            File.WriteAllText(Path.Combine(ws.Root, "ServiceDefaults", "Marker.cs"), "namespace DevEnv.ServiceDefaults;\n\ninternal static class Marker\n{\n    internal const int Value = 1;\n}\n");
            tag = await New(tag, image, context);
            // ... and a base image tag that now points at another image.
            var moved = await BuildDerivedBaseAsync(h, baseRepository + ":10.0");
            tag = await New(tag, image, context);
            Assert.Contains(h.Logs.GetBacklog(image.Name), l => l.Text.Contains($"({moved[..19]}): copied from the local Docker Engine", StringComparison.Ordinal));
            Assert.Equal(6, announced);
        }
        finally
        {
            await docker.Images.DeleteImageAsync(baseRepository + ":10.0", new ImageDeleteParameters { Force = true }, CancellationToken.None);
        }
    }

    private static async Task Same(string tag, ProjectImageResource image, ResourceContext context)
    {
        var build = await Build(image, context);
        Assert.Equal(tag, build.Tag);
        Assert.True(build.Reused);
        Assert.Equal(0, build.PushedBytes);
    }

    private static async Task<string> New(string tag, ProjectImageResource image, ResourceContext context)
    {
        var build = await Build(image, context);
        Assert.NotEqual(tag, build.Tag);
        Assert.False(build.Reused);
        return build.Tag;
    }

    private static async Task<ImageBuild> Build(ProjectImageResource image, ResourceContext context)
    {
        var result = await image.BuildAsync(context, Ct);
        Assert.True(result.Success, result.Error);
        return result.Build!;
    }

    // docker build (the classic builder: no BuildKit here) of the fixture plus one file, under the base's own name.
    private static async Task<string> BuildDerivedBaseAsync(RegistryTestHarness h, string reference)
    {
        var dir = Directory.CreateTempSubdirectory("devenv-base-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "patch.txt"), "patched " + h.Env.Name);
            File.WriteAllText(Path.Combine(dir, "Dockerfile"), $"FROM {DockerTestEnvironment.FixtureBaseImage}\nCOPY patch.txt /etc/devenv-patch.txt\n");
            var spec = new ProcessSpec("docker", ["build", "-q", "--label", h.Env.LabelFilter, "-t", reference, dir])
            {
                Environment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" },
            };
            await new ProcessRunner().RunCheckedAsync(spec, ResourceLog.None, Ct);
            return (await h.Env.Engine.Images.InspectImageAsync(reference, Ct)).ID;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
