using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Registry;

namespace DevEnv.AppHost.Tests.Resources.Image.Pipeline;

/// <summary>
/// Images for other platforms for real: the arm64 fixture base (from Debian's arm64 packages), <c>dotnet publish -r
/// linux-arm64</c> of a copy of SampleApi, our layers in a real registry container, and the pushed image pulled back
/// through our OCI client, unpacked and run under Debian's qemu-user-static; a two-platform build's image index.
/// </summary>
public sealed class PlatformImageBuilderTests(PlatformImageFixture fixture) : IClassFixture<PlatformImageFixture>
{
    private const string Qemu = "qemu-aarch64-static";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RegistryTestHarness H => fixture.Harness;

    [Fact]
    public async Task An_arm64_image_built_by_the_pipeline_is_arm64_throughout_and_its_app_answers_under_qemu()
    {
        var image = Image("image-arm64", DockerTestEnvironment.FixtureArm64BaseImage, ImagePlatform.LinuxArm64);

        var build = await BuildAsync(image);

        // One platform is a plain manifest, not an index, whose config says arm64.
        var repository = H.Settings.ImageRepository;
        Assert.Empty((await H.Registry.Oci.TryGetIndexAsync(repository, build.Tag, Ct))!);
        using var rootfs = await ImageRootfs.PullAsync(H.Registry.Oci, repository, build.Tag, ImagePlatform.LinuxArm64, Ct);
        Assert.Equal("arm64", rootfs.Config["architecture"]!.GetValue<string>());
        Assert.Equal("linux", rootfs.Config["os"]!.GetValue<string>());
        Assert.StartsWith("linux/arm64 ", H.Notifications.Get(image.Name).Properties[ImageProperties.Platforms], StringComparison.Ordinal);
        // The entrypoint and the base's loader are aarch64 ELF files (e_machine 183 = EM_AARCH64).
        Assert.Equal(183, ElfMachine(rootfs.Entrypoint));
        var loader = Path.Combine(rootfs.Root, "lib", "ld-linux-aarch64.so.1");
        Assert.Equal(183, ElfMachine(loader));

        await RequireQemuAsync(rootfs.Root, loader);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var body = await SampleApiProcess.GetAsync(rootfs.Entrypoint, "/", [Qemu, "-L", rootfs.Root], rootfs.Environment, TimeSpan.FromMinutes(3), Ct);
        Assert.Equal("Hello, World!", body);
        TestContext.Current.TestOutputHelper?.WriteLine($"under {Qemu}: start to answer {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_two_platform_build_pushes_an_index_of_both_images_each_on_its_platform_base_and_a_base_of_the_wrong_platform_fails_in_one_line()
    {
        var oci = H.Registry.Oci;
        var resolver = Resolver();
        var amd64Base = await resolver.ResolveAsync(DockerTestEnvironment.FixtureBaseImage, ResourceLog.None, Ct);
        var arm64Base = await resolver.ResolveAsync(DockerTestEnvironment.FixtureArm64BaseImage, ResourceLog.None, Ct);

        // A single-platform base of the other architecture: refused before anything is published, naming what to do.
        var wrong = await Image("image-wrong", DockerTestEnvironment.FixtureBaseImage, ImagePlatform.LinuxArm64).BuildAsync(H.ContextFor("image-wrong"), Ct);
        Assert.Equal($"Base image {DockerTestEnvironment.FixtureBaseImage} (in the registry as {amd64Base}) is linux/amd64, but the app image is built for linux/arm64; "
                     + "set DEVENV_BASE_IMAGE to a linux/arm64 (or multi-platform) image, or build for linux/amd64 (DEVENV_PLATFORMS).", wrong.Error);

        // A base index without the platform: refused, saying what it has.
        await PushBaseIndexAsync("10.0-amd64-only", (ImagePlatform.LinuxAmd64, amd64Base));
        var missing = await Image("image-missing", $"{H.Settings.RegistryHostAddress}/runtime-deps:10.0-amd64-only", ImagePlatform.LinuxArm64).BuildAsync(H.ContextFor("image-missing"), Ct);
        Assert.Equal($"Base image {H.Settings.RegistryHostAddress}/runtime-deps:10.0-amd64-only has no linux/arm64 image (its index has linux/amd64); "
                     + "set DEVENV_BASE_IMAGE to an image with a linux/arm64 variant, or build for the platforms it has (DEVENV_PLATFORMS).", missing.Error);

        // A real multi-platform base: each platform's image is built on that platform's base manifest.
        await PushBaseIndexAsync("10.0-multi", (ImagePlatform.LinuxAmd64, amd64Base), (ImagePlatform.LinuxArm64, arm64Base));
        var image = Image("image-multi", $"{H.Settings.RegistryHostAddress}/runtime-deps:10.0-multi", ImagePlatform.LinuxArm64, ImagePlatform.LinuxAmd64);
        var build = await BuildAsync(image);

        var repository = H.Settings.ImageRepository;
        Assert.Equal(ImageDocuments.Tag(build.Digest), build.Tag);
        var entries = (await oci.TryGetIndexAsync(repository, build.Tag, Ct))!;
        Assert.Equal(["linux/amd64", "linux/arm64"], entries.Select(e => e.Platform!.ToString()));
        Assert.All(entries, e => Assert.Equal(ImageDocuments.ManifestMediaType, e.MediaType));
        foreach (var (entry, baseImage) in entries.Zip([amd64Base, arm64Base]))
        {
            var manifest = (await oci.TryGetManifestAsync(repository, entry.Digest, Ct))!;
            var config = JsonNode.Parse(await oci.GetBlobAsync(repository, manifest.Config.Digest, Ct))!;
            Assert.Equal(entry.Platform!.Architecture, config["architecture"]!.GetValue<string>());
            Assert.Equal("linux", config["os"]!.GetValue<string>());
            var baseLayers = (await oci.TryGetManifestAsync("runtime-deps", baseImage.Split(':')[^1], Ct))!.Layers;
            Assert.Equal(baseLayers.Select(l => l.Digest), manifest.Layers.Take(baseLayers.Count).Select(l => l.Digest));
            Assert.Equal(baseLayers.Count + 4, manifest.Layers.Count);
        }

        // Each platform has its own publish and layers: the two app layers differ (a different native host).
        var runtimes = await Task.WhenAll(entries.Select(async e => (await oci.TryGetManifestAsync(repository, e.Digest, Ct))!.Layers[^4].Digest));
        Assert.NotEqual(runtimes[0], runtimes[1]);

        // Unchanged sources: the same index, nothing uploaded.
        var again = await BuildAsync(image);
        Assert.True(again.Reused);
        Assert.Equal(build.Digest, again.Digest);
        Assert.Equal(0, again.PushedBytes);
    }

    private ProjectImageResource Image(string name, string baseImage, params ImagePlatform[] platforms) =>
        new(name, H.Settings, new ProcessRunner(), H.Registry.Oci)
        {
            BaseImage = baseImage,
            BaseImages = Resolver(),
            Platforms = ImagePlatform.ParseList(string.Join(',', platforms.Select(p => p.ToString()))),
        };

    // The remote check is pinned to "unreachable": the fixtures exist only in the local engine.
    private BaseImageResolver Resolver() => new(H.Env.Engine, H.Settings, H.Registry.Oci, (_, _) => Task.FromResult(false));

    private async Task<ImageBuild> BuildAsync(ProjectImageResource image)
    {
        var result = await image.BuildAsync(H.ContextFor(image), Ct);
        Assert.True(result.Success, result.Error);
        // The figures, for the report: publish time per build, sizes per platform.
        TestContext.Current.TestOutputHelper?.WriteLine(ProjectImageResource.Summary(result.Build!));
        TestContext.Current.TestOutputHelper?.WriteLine(H.Notifications.Get(image.Name).Properties[ImageProperties.Platforms]);
        return result.Build!;
    }

    // An OCI index over seeded bases (Docker schema 2 manifests, as the engine pushed them), as a multi-platform
    // runtime-deps image is in its registry; written by our own index renderer.
    private async Task PushBaseIndexAsync(string tag, params (ImagePlatform Platform, string Reference)[] bases)
    {
        using var http = new HttpClient { BaseAddress = H.Registry.Oci.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var entries = new List<(ImagePlatform, OciDescriptor)>();
        foreach (var (platform, reference) in bases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/runtime-deps/manifests/{reference.Split(':')[^1]}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ImageDocuments.ManifestMediaType));
            using var response = await http.SendAsync(request, Ct);
            response.EnsureSuccessStatusCode();
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            entries.Add((platform, new OciDescriptor(response.Content.Headers.ContentType!.MediaType!, ImageDocuments.Digest(bytes), bytes.Length)));
        }

        await H.Registry.Oci.PutManifestAsync("runtime-deps", tag, ImageDocuments.IndexMediaType, ImageDocuments.Index(entries), Ct);
    }

    // Skips only when qemu is installed and still cannot run an aarch64 program here (a sandbox that forbids it);
    // a missing qemu is a set-up step not run, and fails.
    private static async Task RequireQemuAsync(string root, string loader)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        ProcessResult result;
        try
        {
            result = await new ProcessRunner().RunAsync(new ProcessSpec(Qemu, ["-L", root, loader, "--version"]), ResourceLog.None, deadline.Token);
        }
        catch (ToolNotFoundException)
        {
            Assert.Fail($"{Qemu} is not installed: run scripts/setup/qemu.sh (scripts/test.sh does)");
            throw;
        }

        if (result.ExitCode != 0)
        {
            Assert.Skip($"{Qemu} cannot run an aarch64 program here (exit {result.ExitCode}: {(result.Output + result.Error).Trim()}); the arm64 image was built and checked, not run");
        }
    }

    private static int ElfMachine(string file)
    {
        var header = new byte[20];
        using (var stream = File.OpenRead(file))
        {
            stream.ReadExactly(header);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
        return BitConverter.ToUInt16(header, 18);
    }
}
