using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Dashboard;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Resources.Cluster;
using DevEnv.AppHost.Resources.Deployment;
using DevEnv.AppHost.Resources.Image;
using DevEnv.AppHost.Resources.Registry;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Model;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Resources.Registry;
using DevEnv.AppHost.Watch;
using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Dashboard;

/// <summary>
/// The whole graph as Program.cs wires it, for real: a registry container, SampleApi published into it, kind asked
/// for a cluster (which cannot get its node image on our machines, so it fails and the deployment waits), the
/// dashboard in Chromium, and the watch loop rebuilding on a source edit, a syntax error, and its fix.
/// </summary>
public sealed class RealGraphDashboardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registry_and_image_run_for_real_the_cluster_fails_and_the_watch_loop_rebuilds()
    {
        using var ws = new SampleApiWorkspace();
        // The harness gives a unique name, free ports, label clean-up and the fixture base image push.
        await using var harness = new RegistryTestHarness(s => s with
        {
            SourceRoot = ws.Root,
            StateDirectory = Path.Combine(ws.Root, ".devenv"),
            BaseImage = $"localhost:{s.RegistryPort}/runtime-deps:10.0",
            NodePort = DockerTestEnvironment.FreePort(),
            WorkerNodes = 0,
        });
        var settings = harness.Settings;
        var builder = new DevEnvironmentBuilder(settings);
        var registry = builder.AddRegistry();
        // Stands in for the base image a developer's machine pulls from MCR: the fixture, pushed into our registry.
        var baseImage = builder.AddResource(new FakeResource("base-image", kind: "Fixture"));
        baseImage.DependsOn(registry);
        baseImage.OnStart = (_, ct) => harness.PushFixtureBaseAsync(ct);
        var image = builder.AddProjectImage(registry);
        image.DependsOn(baseImage);
        var cluster = builder.AddKindCluster();
        cluster.DependsOn(registry);
        var deployment = builder.AddSampleApiDeployment(image, cluster);
        await using var env = builder.Build();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            startup.CancelAfter(TimeSpan.FromMinutes(4));
            Assert.False(await env.StartAsync(startup.Token));

            Assert.Equal(ResourceStates.Running, env.Notifications.Get("registry").State);
            var built = env.Notifications.Get("image");
            Assert.Equal(ResourceStates.Running, built.State);
            var firstTag = built.Properties[ImageProperties.Tag];
            var clusterState = env.Notifications.Get("cluster");
            Assert.Equal(ResourceStates.Failed, clusterState.State);
            Assert.Contains("node image", clusterState.Reason, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith("waiting for cluster: ", env.Notifications.Get(deployment.Name).Reason);

            await using var dashboard = new DashboardServer(env, port: 0);
            await dashboard.StartAsync(Ct);
            await AssertDashboardShowsAsync(dashboard);

            // The watch loop: an edit gives a new tag in the registry.
            var loop = new RebuildLoop(run => env.RebuildAndDeployAsync(run.BuildToken, run.LifetimeToken), env.Lifetime);
            using var watcher = new SourceWatcher([Path.Combine(ws.Root, "SampleApi"), Path.Combine(ws.Root, "ServiceDefaults")],
                TimeSpan.FromMilliseconds(300), TimeProvider.System, _ => loop.Trigger());
            Log($"started in {clock.Elapsed.TotalSeconds:0.0} s; cluster: {clusterState.Reason}");
            ws.Edit(Path.Combine(ws.Root, "SampleApi", "SampleEndpoints.cs"), "Hello, World!", "Hello, Watch!");
            var rebuilt = await WaitForImageAsync(env, s => s.State == ResourceStates.Running && s.Properties[ImageProperties.Tag] != firstTag);
            var secondTag = rebuilt.Properties[ImageProperties.Tag];
            var tags = await registry.Oci.GetTagsAsync(settings.ImageRepository, Ct);
            Assert.Contains(secondTag, tags);

            // A syntax error: Failed with the compiler's message, no new tag; the running version is untouched.
            Log($"rebuilt {secondTag} at {clock.Elapsed.TotalSeconds:0.0} s");
            ws.Edit(ws.ProgramFile, "return await app.RunServiceAsync();", "return await app.RunServiceAsync()");
            var broken = await WaitForImageAsync(env, s => s.State == ResourceStates.Failed);
            Assert.Contains("error CS", broken.Reason + broken.Properties.GetValueOrDefault(ImageProperties.LastError));
            Assert.Equal(tags.Order(), (await registry.Oci.GetTagsAsync(settings.ImageRepository, Ct)).Order());

            // The fix recovers, to the same content tag as before the error.
            Log($"compile error shown at {clock.Elapsed.TotalSeconds:0.0} s");
            ws.Edit(ws.ProgramFile, "return await app.RunServiceAsync()", "return await app.RunServiceAsync();");
            var fixedImage = await WaitForImageAsync(env, s => s.State == ResourceStates.Running);
            Assert.Equal(secondTag, fixedImage.Properties[ImageProperties.Tag]);
            Log($"recovered at {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            await env.DestroyAsync(purge: true, CancellationToken.None);
        }
    }

    private static async Task AssertDashboardShowsAsync(DashboardServer dashboard)
    {
        var profile = Directory.CreateTempSubdirectory("devenv-chromium-").FullName;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = DashboardFixture.ChromiumArgs,
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(dashboard.LoginUrl.ToString());
        await page.Locator("tr[data-resource=registry][data-state=Running]").WaitForAsync(new() { Timeout = 10_000 });
        await page.Locator("tr[data-resource=image][data-state=Running]").WaitForAsync();
        await page.Locator("tr[data-resource=cluster][data-state=Failed]").WaitForAsync();
        Assert.Contains("node image", await page.Locator("tr[data-resource=cluster] .reason").TextContentAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Waiting", await page.Locator("tr[data-resource=sampleapi] .state").TextContentAsync());
        Assert.Contains("localhost:", await page.Locator("[data-pipeline=image] .facts").TextContentAsync());
        await browser.CloseAsync();
        Directory.Delete(profile, recursive: true);
    }

    private static void Log(string message) => TestContext.Current.TestOutputHelper?.WriteLine(message);

    private static Task<ResourceSnapshot> WaitForImageAsync(DevEnvironment env, Func<ResourceSnapshot, bool> condition) =>
        env.Notifications.WaitForAsync("image", s => s.Version > 0 && condition(s), Ct).WaitAsync(TimeSpan.FromMinutes(3), Ct);
}
