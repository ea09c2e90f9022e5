using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;

using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>The image's <c>status</c> look: content tag against what the registry holds, without building anything.</summary>
public sealed class ProjectImageResourceStatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reports_waiting_when_the_registry_is_down_stopped_when_the_tag_is_absent_and_running_when_current()
    {
        using var ws = new SampleApiWorkspace();
        var settings = new EnvironmentSettings { Name = "t" + Guid.NewGuid().ToString("N")[..8], RegistryPort = 5999, SourceRoot = ws.Root };
        var registry = new FakeOciRegistry { Answers = false };
        var image = new ProjectImageResource("image", settings, new ProcessRunner(), registry);
        var notifications = new TestNotifications();
        var context = notifications.Context(image.Name);
        // Before any build there is no tag to ask about: the tag is the image's digest.
        await image.ProbeAsync(context, Ct);
        Assert.Equal(ResourceStates.Stopped, notifications.Get(image.Name).State);
        Assert.Equal($"not built yet with these options ({ImageBuildOptions.Default.Key})", notifications.Get(image.Name).Reason);
        Assert.Null(image.ComputeTag());

        // What a build leaves behind (LayeredImageBuilder writes the tag it pushed there).
        const string tag = "src-0123456789ab";
        var work = DevEnv.Hosting.Resources.Image.Pipeline.LayeredImageBuilder.WorkDirectory(image.ProjectFile, image.Options);
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "last-tag"), tag);
        Assert.Equal(tag, image.ComputeTag());

        await image.ProbeAsync(context, Ct);
        var down = notifications.Get(image.Name);
        Assert.Equal(ResourceStates.Waiting, down.State);
        Assert.Contains("does not answer", down.Reason, StringComparison.Ordinal);

        registry.Answers = true;
        await image.ProbeAsync(context, Ct);
        var absent = notifications.Get(image.Name);
        Assert.Equal(ResourceStates.Stopped, absent.State);
        Assert.Equal($"the last image built, localhost:5999/sampleapi:{tag}, is not in the registry", absent.Reason);

        registry.Manifests[$"sampleapi:{tag}"] = new OciManifest("sha256:abc", "application/vnd.oci.image.manifest.v1+json",
            new OciDescriptor("application/vnd.oci.image.config.v1+json", "sha256:c", 1_000), [new OciDescriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:l", 2_000_000)]);
        await image.ProbeAsync(context, Ct);
        var current = notifications.Get(image.Name);
        Assert.Equal(ResourceStates.Running, current.State);
        Assert.Equal($"localhost:5999/sampleapi:{tag} is current", current.Reason);
        Assert.Equal(tag, current.Properties[ImageProperties.Tag]);
        Assert.Equal("sha256:abc", current.Properties[ImageProperties.Digest]);
        Assert.Equal("2001000", current.Properties[ImageProperties.CompressedBytes]);
    }
}
