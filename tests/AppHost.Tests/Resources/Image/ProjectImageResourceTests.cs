using System.Diagnostics;
using System.Net.Http;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Registry;

using DevEnv.AppHost.Tests.Support;
using Docker.DotNet.Models;
using Docker.DotNet;
// Aliased because Docker.DotNet.Models has an ImageProperties too.
using ImageProperties = DevEnv.Hosting.Resources.Image.ImageProperties;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// The image pipeline for real: registry container, <c>dotnet publish</c> of a copy of SampleApi, our layers and
/// uploads, the Docker Engine pulling the pushed image from 127.0.0.1 and running it with nothing but a port binding.
/// </summary>
public sealed class ProjectImageResourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publishes_in_layers_runs_non_root_on_its_declared_port_uploads_nothing_when_unchanged_only_the_app_layer_on_a_change_survives_a_compile_error_and_switches_modes()
    {
        using var ws = new SampleApiWorkspace();
        await using var h = new RegistryTestHarness(s => s with { SourceRoot = ws.Root });
        await h.StartRegistryAsync(Ct);
        // The fixture base exists only in the local daemon: the resource seeds it into the registry itself. The remote
        // check is pinned to "unreachable" so a machine with internet access behaves the same (Docker Hub has no fixture).
        var baseImages = new BaseImageResolver(h.Env.Engine, h.Settings, h.Registry.Oci, (_, _) => Task.FromResult(false));
        var image = new ProjectImageResource("image", h.Settings, new ProcessRunner(), h.Registry.Oci)
        {
            BaseImage = DockerTestEnvironment.FixtureBaseImage,
            BaseImages = baseImages,
        };
        var context = h.ContextFor(image);
        var announced = new List<ImageBuild>();
        image.ImageAvailable += (_, b) => announced.Add(b);
        var states = new List<string>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watcher = Task.Run(async () =>
        {
            await foreach (var s in h.Notifications.WatchAsync(watching.Token))
            {
                if (s.Name == image.Name && (states.Count == 0 || states[^1] != s.State))
                {
                    states.Add(s.State!);
                }
            }
        }, CancellationToken.None);

        // 1. Cold build: published and pushed, in the catalog, small, in layers: base, runtime, framework, app.
        // Its two steps are spans of their own under the caller's (the pipeline's "build"), publish then push.
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == DevEnvTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        ImageBuild first;
        ActivityContext caller;
        using (var build = DevEnvTelemetry.Source.StartActivity("build (test)"))
        {
            caller = build!.Context;
            first = await Build(image, context);
        }

        var steps = spans.Where(a => a.TraceId == caller.TraceId && a.ParentSpanId == caller.SpanId).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal([$"publish {h.Settings.ImageRepository}", $"push {h.Settings.ImageRepository}"], steps.Select(a => a.DisplayName));
        Assert.True(steps[1].StartTimeUtc >= steps[0].StartTimeUtc + steps[0].Duration, "the push starts when the publish has ended");
        Assert.False(first.Reused);
        Assert.Contains(h.Settings.ImageRepository, await h.Registry.Oci.GetCatalogAsync(Ct));
        Assert.Contains(first.Tag, await h.Registry.Oci.GetTagsAsync(h.Settings.ImageRepository, Ct));
        Assert.Equal($"localhost:{h.Settings.RegistryPort}/sampleapi:{first.Tag}", first.ImageReference);
        Assert.Equal("src-" + first.Digest["sha256:".Length..][..12], first.Tag);
        // The README's promise for the trimmed image: at most 40 MB, 16 MB compressed (on the fixture base).
        Assert.InRange(first.UncompressedBytes, 1_000_000, 40_000_000);
        Assert.InRange(first.CompressedBytes, 1_000_000, 16_000_000);
        var firstManifest = (await h.Registry.Oci.TryGetManifestAsync(h.Settings.ImageRepository, first.Tag, Ct))!;
        // The seeded base is keyed by the local image's ID; on it, our four layers: runtime, framework, packages
        // (ServiceDefaults' OpenTelemetry, service discovery and resilience) and the app.
        var baseName = DockerTestEnvironment.FixtureBaseImage.Split('/')[^1].Split(':')[0];
        var baseTag = Assert.Single(await h.Registry.Oci.GetTagsAsync(baseName, Ct));
        var localBase = await h.Env.Engine.Images.InspectImageAsync(DockerTestEnvironment.FixtureBaseImage, Ct);
        Assert.Equal(BaseImageResolver.SeedTag(DockerTestEnvironment.FixtureBaseImage, localBase.ID), baseTag);
        var baseLayers = (await h.Registry.Oci.TryGetManifestAsync(baseName, baseTag, Ct))!.Layers;
        Assert.Equal(baseLayers.Select(l => l.Digest), firstManifest.Layers.Take(baseLayers.Count).Select(l => l.Digest));
        Assert.Equal(baseLayers.Count + 4, firstManifest.Layers.Count);
        Assert.InRange(firstManifest.Layers[^1].Size, 1, 1_000_000); // the app layer
        Assert.InRange(firstManifest.Layers[^2].Size, 1, firstManifest.Layers[^3].Size); // the packages layer
        Assert.True(firstManifest.Layers[^3].Size > 5_000_000, "the framework layer holds the trimmed framework");
        Assert.Contains(h.Logs.GetBacklog(image.Name), l => l.Text.Contains("Layers: runtime ", StringComparison.Ordinal)
            && l.Text.Contains(", framework ", StringComparison.Ordinal) && l.Text.Contains(", packages ", StringComparison.Ordinal) && l.Text.Contains(", app ", StringComparison.Ordinal));
        var snapshot = h.Notifications.Get(image.Name);
        Assert.Equal(ResourceStates.Running, snapshot.State);
        Assert.Equal(first.Tag, snapshot.Properties[ImageProperties.Tag]);
        Assert.Equal(first.Digest, snapshot.Properties[ImageProperties.Digest]);
        Assert.True(snapshot.Properties.ContainsKey(ImageProperties.PublishSeconds));
        Assert.Contains(h.Logs.GetBacklog(image.Name), l => l.Text.Contains("copied from the local Docker Engine into our registry", StringComparison.Ordinal));
        await image.ProbeAsync(context, Ct); // the status verb against the real registry agrees
        Assert.Equal($"{first.ImageReference} is current", h.Notifications.Get(image.Name).Reason);

        // 2. The engine pulls it from 127.0.0.1:<port> and runs it with no environment: it answers on the port it
        //    declares, as uid 1654.
        await RunAndProbe(h, $"127.0.0.1:{h.Settings.RegistryPort}/sampleapi:{first.Tag}", "Hello, World!");

        // 3. No change: publish, hash, ask the registry: the same image, nothing uploaded, nothing announced.
        var again = await Build(image, context);
        Assert.True(again.Reused);
        Assert.Equal(first.Tag, again.Tag);
        Assert.Equal(0, again.PushedBytes);
        Assert.Single(announced);

        // 4. One-line change: a new tag, and only the app layer, the config and the manifest go over the wire.
        ws.Edit(ws.HelloFile, "\"Hello, World!\"", "\"Hello, DevEnv!\"");
        var changed = await Build(image, context);
        Assert.NotEqual(first.Tag, changed.Tag);
        var manifest = (await h.Registry.Oci.TryGetManifestAsync(h.Settings.ImageRepository, changed.Tag, Ct))!;
        Assert.Equal(firstManifest.Layers.SkipLast(1).Select(l => l.Digest), manifest.Layers.SkipLast(1).Select(l => l.Digest));
        Assert.NotEqual(firstManifest.Layers[^1].Digest, manifest.Layers[^1].Digest);
        Assert.Equal(2, changed.PushedLayers);
        var manifestBytes = changed.PushedBytes - manifest.Layers[^1].Size - manifest.Config.Size;
        Assert.InRange(manifestBytes, 200, 4_000);
        Assert.InRange(changed.PushedBytes, 1, 1_000_000);
        Assert.Equal([first.Digest, changed.Digest], announced.Select(b => b.Digest));
        TestContext.Current.TestOutputHelper?.WriteLine($"one-line change: {changed.PushedBytes} bytes uploaded in {changed.PushedLayers} blobs + manifest; unchanged: {again.PushedBytes} bytes");

        // 5. A syntax error: Failed with the compiler's message; the last good image stays recorded.
        File.AppendAllText(ws.ProgramFile, "\nint broken = ;\n");
        var broken = await image.BuildAsync(context, Ct);
        Assert.False(broken.Success);
        Assert.Matches(@"Program\.cs\(\d+,\d+\): error CS\d+", broken.Error);
        snapshot = h.Notifications.Get(image.Name);
        Assert.Equal(ResourceStates.Failed, snapshot.State);
        Assert.Contains("Program.cs", snapshot.Reason);
        Assert.Contains(changed.ImageReference, snapshot.Reason);
        Assert.Equal(changed.Tag, snapshot.Properties[ImageProperties.Tag]);
        Assert.Same(changed, image.LastGood);

        // 6. The untrimmed inner-loop mode on the same project folder runs too (its own publish folder, no stale trimmed files).
        File.WriteAllText(ws.ProgramFile, File.ReadAllText(ws.ProgramFile).Replace("\nint broken = ;\n", "", StringComparison.Ordinal));
        var fast = new ProjectImageResource("image-fast", h.Settings, new ProcessRunner(), h.Registry.Oci) { BaseImage = image.BaseImage, BaseImages = baseImages, Options = ImageBuildOptions.Fast };
        var fastBuild = await Build(fast, h.ContextFor(fast));
        Assert.NotEqual(changed.Tag, fastBuild.Tag);
        await RunAndProbe(h, $"127.0.0.1:{h.Settings.RegistryPort}/sampleapi:{fastBuild.Tag}", "Hello, DevEnv!");

        await watching.CancelAsync();
        await watcher.ContinueWith(_ => { }, CancellationToken.None);
        Assert.Contains(ResourceStates.Building, states);
        Assert.Contains(ResourceStates.Pushing, states);
    }

    private static async Task<ImageBuild> Build(ProjectImageResource image, ResourceContext context)
    {
        var result = await image.BuildAsync(context, Ct);
        Assert.True(result.Success, result.Error);
        return result.Build!;
    }

    private static async Task RunAndProbe(RegistryTestHarness h, string reference, string expected)
    {
        var docker = h.Env.Engine;
        await docker.Images.PullImageAsync(reference, null, Ct);
        var port = FreePort.Next();
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = h.Env.Name + "-app",
            Image = reference,
            Labels = new Dictionary<string, string>(h.Env.Labels),
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = port.ToString() }] },
                // As the Deployment runs it: read-only root, no capabilities, a writable /tmp (the pod's emptyDir,
                // where the probe state file lives).
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,size=64m" },
                CapDrop = ["ALL"],
            },
        }, Ct);
        var id = created.ID;
        try
        {
            await docker.Containers.StartContainerAsync(id, new ContainerStartParameters(), Ct);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? body = null;
            for (var attempt = 0; attempt < 100 && body is null; attempt++)
            {
                try
                {
                    body = await http.GetStringAsync($"http://127.0.0.1:{port}/", Ct);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
                {
                    // Not listening yet, or too slow to answer on a loaded machine (HttpClient's timeout): try again.
                    Assert.True((await docker.Containers.InspectContainerAsync(id, Ct)).State?.Running == true, "the app container exited: " + await Logs(docker, id));
                    await Task.Delay(200, Ct);
                }
            }

            Assert.Equal(expected, body);
            var top = await docker.Containers.ListProcessesAsync(id, new ContainerListProcessesParameters { PsArgs = "-o uid,pid,comm" }, Ct);
            var uid = top.Processes.Single()[0];
            Assert.NotEqual("0", uid);
            Assert.Equal("1654", uid);
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
            await docker.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true }, CancellationToken.None);
        }
    }

    // The container's last lines, stdout and stderr apart, as Docker.DotNet demultiplexes them.
    private static async Task<string> Logs(IDockerClient docker, string id)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var logs = await docker.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = "20" }, timeout.Token);
        var (stdout, stderr) = await logs.ReadOutputToEndAsync(timeout.Token);
        return $"stdout:\n{stdout}\nstderr:\n{stderr}";
    }
}
