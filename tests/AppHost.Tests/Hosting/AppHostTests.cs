using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Image;
using Microsoft.Extensions.DependencyInjection;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Hosting;

/// <summary>
/// The real AppHost (Program.cs) under DCP through Aspire.Hosting.Testing, on the real Docker Engine: the registry
/// container becomes healthy, the image is published and pushed, the cluster fails with its clear reason (no kind
/// node image can be had here), the deployment keeps waiting for it, the fast session's "Rebuild trimmed &amp; deploy"
/// command builds the trimmed image and the fast one comes back from its own warm cache, and <c>down --purge</c> leaves
/// nothing labelled.
/// </summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Under_DCP_the_registry_is_healthy_the_image_pushed_the_cluster_fails_clearly_and_the_deployment_waits()
    {
        await using var docker = new DockerTestEnvironment();
        using var sources = new SampleApiWorkspace();
        var state = Directory.CreateTempSubdirectory("devenv-apphost-").FullName;
        var port = FreePort.Next();
        var volumeName = new EnvironmentSettings { Name = docker.Name }.RegistryVolumeName;
        string[] settings =
        [
            $"--DEVENV_NAME={docker.Name}",
            $"--DEVENV_REGISTRY_PORT={port}",
            $"--DEVENV_REGISTRY_IMAGE={DockerTestEnvironment.RegistryImage}",
            $"--DEVENV_BASE_IMAGE={DockerTestEnvironment.FixtureBaseImage}",
            // A node image that exists nowhere: the cluster fails the same way on every machine.
            $"--DEVENV_NODE_IMAGE=devenv-test/absent-node:{docker.Name}",
            $"--DEVENV_STATE_DIR={state}",
            $"--DEVENV_SOURCE_ROOT={sources.Root}",
            "--DEVENV_IMAGE_MODE=fast",
        ];
        try
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(settings, Ct);
            await using (var app = await builder.BuildAsync(Ct))
            {
                await app.StartAsync(Ct);
                var notifications = app.ResourceNotifications;

                await notifications.WaitForResourceHealthyAsync("registry", Ct).WaitAsync(RegistryTimeout, Ct);
                // The blob volume is ours (labelled) before DCP mounts it, so down --purge may remove it.
                var volume = await docker.Engine.Volumes.TryInspectVolumeAsync(volumeName, Ct);
                Assert.Equal(docker.Name, volume?.Label(EnvironmentSettings.EnvironmentLabel));

                var image = await notifications.WaitForResourceAsync("sampleapi-image", e => e.Snapshot.State?.Text is ResourceStates.Running or ResourceStates.Failed, Ct)
                    .WaitAsync(BuildTimeout, Ct);
                Assert.True(image.Snapshot.State?.Text == ResourceStates.Running, "image: " + image.Snapshot.Property(ResourceContext.ReasonProperty));
                var tag = image.Snapshot.Property(ImageProperties.Tag)!;
                Assert.StartsWith("src-", tag, StringComparison.Ordinal);
                var registry = OciRegistryClient.ForHost("127.0.0.1", port);
                Assert.Contains(tag, await registry.GetTagsAsync("sampleapi", Ct));

                // Fast mode is the quick loop; the trimmed shipping image is one command away, built with its own options
                // (a smaller image under a tag of its own), and the next fast build is the first fast image again, reused.
                var commands = app.Services.GetRequiredService<ResourceCommandService>();
                var trimmed = await commands.ExecuteCommandAsync("sampleapi-image", CommandNames.RebuildTrimmedAndDeploy, Ct).WaitAsync(BuildTimeout, Ct);
                Assert.True(trimmed.Success, trimmed.Message);
                var trimmedImage = (await notifications.WaitForResourceAsync("sampleapi-image", e => e.Snapshot.Property(ImageProperties.Mode) == "Trimmed", Ct)
                    .WaitAsync(RegistryTimeout, Ct)).Snapshot;
                Assert.Equal(ResourceStates.Running, trimmedImage.State?.Text);
                var trimmedTag = trimmedImage.Property(ImageProperties.Tag)!;
                Assert.NotEqual(tag, trimmedTag);
                Assert.True(Bytes(trimmedImage) < Bytes(image.Snapshot), $"trimmed {Bytes(trimmedImage)} bytes, fast {Bytes(image.Snapshot)}");
                Assert.Contains(trimmedTag, await registry.GetTagsAsync("sampleapi", Ct));

                var fast = await commands.ExecuteCommandAsync("sampleapi-image", CommandNames.RebuildAndDeploy, Ct).WaitAsync(BuildTimeout, Ct);
                Assert.True(fast.Success, fast.Message);
                var fastAgain = (await notifications.WaitForResourceAsync("sampleapi-image", e => e.Snapshot.Property(ImageProperties.Mode) == "Fast", Ct)
                    .WaitAsync(RegistryTimeout, Ct)).Snapshot;
                Assert.Equal(tag, fastAgain.Property(ImageProperties.Tag));
                Assert.Equal("reused", fastAgain.Property(ImageProperties.Outcome));

                var cluster = await notifications.WaitForResourceAsync("cluster", e => e.Snapshot.State?.Text == ResourceStates.Failed, Ct).WaitAsync(RegistryTimeout, Ct);
                Assert.Contains("cannot be obtained", cluster.Snapshot.Property(ResourceContext.ReasonProperty), StringComparison.Ordinal);

                var deployment = notifications.TryGetCurrentState("sampleapi-deployment", out var d) ? d.Snapshot : null;
                Assert.Equal(ResourceStates.Waiting, deployment?.State?.Text);
                Assert.Equal("waiting for cluster, sampleapi-image", deployment?.Property(ResourceContext.ReasonProperty));

                // The project deployed to the cluster is not also run as a local process.
                Assert.True(notifications.TryGetCurrentState("sampleapi", out var project));
                Assert.Equal(KnownResourceStates.NotStarted, project.Snapshot.State?.Text);

                await app.StopAsync(Ct);
            }

            static long Bytes(CustomResourceSnapshot image) => long.Parse(image.Property(ImageProperties.CompressedBytes)!, System.Globalization.CultureInfo.InvariantCulture);

            // Persistent: the registry outlives the AppHost, as after Ctrl+C.
            Assert.Contains(await docker.LabelledContainersAsync(Ct), c => c.Names.Any(n => n.Contains("registry", StringComparison.Ordinal)));

            var down = await new ProcessRunner().RunAsync(
                new ProcessSpec("dotnet", [Path.Combine(AppContext.BaseDirectory, "DevEnv.AppHost.dll"), "down", "--purge", .. settings]), ResourceLog.None, Ct);
            Assert.True(down.ExitCode == 0, "down failed:\n" + string.Join('\n', down.StandardError));
            Assert.Empty(await docker.LabelledContainersAsync(Ct));
            Assert.Empty(await docker.LabelledVolumesAsync(Ct));
            Assert.Null(await docker.Engine.Volumes.TryInspectVolumeAsync(volumeName, Ct));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
