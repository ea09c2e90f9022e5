using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Registry;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// Each option set builds in folders of its own. The trimmer's incremental check compares files only, so with one shared
/// obj/ a trimmer-only property change (here a feature switch that strips CoreLib's resource strings) would reuse the
/// other option set's trimmed framework: a new tag, a runtimeconfig.json that says one thing and a framework that does
/// another.
/// </summary>
public sealed class TrimmerOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_trimmer_only_property_change_re_trims_the_framework_and_switching_back_gives_the_first_image_again()
    {
        using var ws = new SampleApiWorkspace();
        await using var h = new RegistryTestHarness(s => s with { SourceRoot = ws.Root });
        await h.StartRegistryAsync(Ct);
        var baseImages = new BaseImageResolver(h.Env.Engine, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(false));
        var plainOptions = ImageBuildOptions.Default;
        var switchedOptions = ImageBuildOptions.Default with
        {
            ExtraProperties = new Dictionary<string, string> { ["UseSystemResourceKeys"] = "true" },
        };
        Assert.NotEqual(plainOptions.Key, switchedOptions.Key);

        var plain = await BuildAsync(h, baseImages, plainOptions);
        var switched = await BuildAsync(h, baseImages, switchedOptions);
        var plainAgain = await BuildAsync(h, baseImages, plainOptions);

        // Our layers: runtime, framework, packages, app (the product's order, LayerKind).
        Assert.NotEqual(plain.Framework, switched.Framework);
        Assert.True(switched.FrameworkSize < plain.FrameworkSize, $"without resource strings CoreLib shrinks: {switched.FrameworkSize} vs {plain.FrameworkSize} bytes");
        Assert.Equal(plain.Tag, plainAgain.Tag);
    }

    private static async Task<(string Tag, string Framework, long FrameworkSize)> BuildAsync(RegistryTestHarness h, BaseImageResolver baseImages, ImageBuildOptions options)
    {
        var image = new ProjectImageResource("image-" + options.Key, h.Settings, new ProcessRunner(), h.Registry.Oci)
        {
            BaseImage = DockerTestEnvironment.FixtureBaseImage,
            BaseImages = baseImages,
            Options = options,
        };
        var result = await image.BuildAsync(h.ContextFor(image), Ct);
        Assert.True(result.Success, result.Error);
        var manifest = (await h.Registry.Oci.TryGetManifestAsync(h.Settings.ImageRepository, result.Build!.Tag, Ct))!;
        return (result.Build.Tag, manifest.Layers[^3].Digest, manifest.Layers[^3].Size);
    }
}
