using System.Collections.Concurrent;
using System.Collections.Immutable;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Dashboard;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Tests.Model;
using DevEnv.AppHost.Tests.Traffic;
using DevEnv.AppHost.Traffic;
using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Dashboard;

/// <summary>
/// A dashboard on a free port over fake resources that look like the real graph (a running registry, an image
/// with build timings, a cluster that failed, a deployment mid-rollout whose verify-rollout command loads a real
/// local Kestrel), and one headless Chromium for all tests.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly string _profile = Path.Combine(Path.GetTempPath(), $"devenv-chromium-{Guid.NewGuid():N}");
    private IPlaywright? _playwright;

    public ConcurrentQueue<string> Journal { get; } = new();

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> ScaleCalls { get; } = new();

    public DevEnvironment Environment { get; private set; } = null!;

    public DashboardServer Server { get; private set; } = null!;

    public IBrowserContext Browser { get; private set; } = null!;

    /// <summary>The real Kestrel the verify-rollout command loads (standing in for the NodePort).</summary>
    private LocalKestrel? _service;

    public ConcurrentQueue<string> RestartCalls { get; } = new();

    public async ValueTask InitializeAsync()
    {
        _service = await LocalKestrel.StartAsync(TestContext.Current.CancellationToken);
        var builder = new DevEnvironmentBuilder(new EnvironmentSettings { Name = $"t{Guid.NewGuid():N}"[..9] });
        var registry = builder.AddResource(new FakeResource("registry", Journal, "Registry"));
        registry.OnStart = (c, _) => Publish(c, s => s with { Endpoints = [new ResourceEndpoint("registry", "http://localhost:5001/v2/")] });
        var image = builder.AddResource(new FakeResource("sampleapi-image", Journal, "Image"));
        image.DependsOn(registry);
        image.OnStart = (c, _) => Publish(c, s => s with
        {
            Properties = ImmutableDictionary<string, string>.Empty
                .Add("tag", "localhost:5001/sampleapi:3f9c2a1b7d")
                .Add("size", "29.4 MB")
                .Add("publishSeconds", "17.8").Add("pushSeconds", "1.3"),
        });
        var cluster = builder.AddResource(new FakeResource("cluster", Journal, "Cluster"));
        cluster.OnStart = (_, _) => throw new InvalidOperationException("No node image can be obtained: kindest/node:v1.36.0 cannot be pulled");
        var deployment = builder.AddResource(new FakeResource("sampleapi", Journal, "Deployment"));
        deployment.DependsOn(image);
        deployment.Commands.Add(new(CommandNames.Scale, "Scale", (args, _) =>
        {
            ScaleCalls.Enqueue(args);
            return Task.FromResult(CommandResult.Ok($"Scaled to {args.GetValueOrDefault("replicas")} replicas."));
        }));
        deployment.Commands.Add(new(CommandNames.RestartRollout, "Restart rollout", async (_, ct) =>
        {
            RestartCalls.Enqueue("restart");
            await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
            return CommandResult.Ok("Rolled out.");
        }));
        // The product's verify-rollout command, short phases, against a real server.
        builder.AddRolloutVerification(deployment, new RolloutVerifierOptions
        {
            Load = new LoadOptions { Target = _service.Address, RatePerSecond = 60, Paths = ["/", "/work?ms=25"] },
            SteadyState = TimeSpan.FromSeconds(2),
            Settle = TimeSpan.FromSeconds(1),
        });
        deployment.OnStart = (c, _) => Publish(c, s => s with
        {
            Endpoints = [new ResourceEndpoint("http", "http://localhost:31000/")],
            Properties = ImmutableDictionary<string, string>.Empty
                .Add("replicas", "3")
                .Add("image", "localhost:5001/sampleapi:3f9c2a1b7d")
                .Add("rollout", "in progress")
                .Add("pods", """
                    [{"name":"sampleapi-6d9f-abcde","replicaSet":"sampleapi-6d9f","ready":true,"phase":"Running","image":"localhost:5001/sampleapi:0a1b2c3d4e","digest":"sha256:1111111111111111aaaa"},
                     {"name":"sampleapi-7c1e-fghij","replicaSet":"sampleapi-7c1e","ready":false,"phase":"Running","image":"localhost:5001/sampleapi:3f9c2a1b7d","digest":"sha256:2222222222222222bbbb","probeFailures":["Readiness probe failed: HTTP probe failed with statuscode: 503"]}]
                    """),
        });
        Environment = builder.Build();
        await Environment.StartAsync(TestContext.Current.CancellationToken);
        Environment.Logs.Write("registry", "registry is listening on :5000");

        Server = new DashboardServer(Environment, port: 0);
        await Server.StartAsync(TestContext.Current.CancellationToken);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
        await Environment.DisposeAsync();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment; the temp folder is cleaned eventually.
        }
    }

    private static Task Publish(ResourceContext context, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        context.Update(change);
        return Task.CompletedTask;
    }
}
