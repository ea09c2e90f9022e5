using DevEnv.AppHost.Tests.Cli;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Support;
using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Dashboard;

/// <summary>
/// What every real-dashboard test sets up: its own environment name, Docker labels, a copy of the sources, a state
/// folder, a real <c>up --no-watch</c> of the built AppHost, and Debian's headless Chromium with a throw-away profile.
/// Disposing stops the AppHost (if still running), closes the browser and removes what it made.
/// </summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private readonly string _profile;
    private IPlaywright? _playwright;
    private IBrowserContext? _browser;

    private DashboardSession(string name, DockerTestEnvironment docker, SampleApiWorkspace workspace, string state, string profile, Dictionary<string, string?> environment)
    {
        Name = name;
        Docker = docker;
        Workspace = workspace;
        State = state;
        _profile = profile;
        Environment = environment;
    }

    /// <summary>The environment's DEVENV_NAME.</summary>
    public string Name { get; }

    /// <summary>The Docker side of the environment (removed on dispose).</summary>
    public DockerTestEnvironment Docker { get; }

    /// <summary>The copy of the sources the AppHost builds.</summary>
    public SampleApiWorkspace Workspace { get; }

    /// <summary>The environment's state folder.</summary>
    public string State { get; }

    /// <summary>The AppHost's environment variables (also what a later <c>down</c> needs).</summary>
    public Dictionary<string, string?> Environment { get; }

    /// <summary>The running <c>up</c>.</summary>
    public AppHostProcess Up { get; private set; } = null!;

    /// <summary>Starts <c>up --no-watch</c>; <paramref name="configure"/> may add to its environment first.</summary>
    public static DashboardSession Start(string statePrefix, Action<Dictionary<string, string?>>? configure = null)
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        var docker = new DockerTestEnvironment(name);
        var workspace = new SampleApiWorkspace();
        var state = Directory.CreateTempSubdirectory(statePrefix).FullName;
        var profile = Directory.CreateTempSubdirectory("devenv-chromium-").FullName;
        var environment = UpProcessTests.Environment(name, workspace.Root, state, FreePort.Next(), FreePort.Next());
        configure?.Invoke(environment);
        var session = new DashboardSession(name, docker, workspace, state, profile, environment);
        session.Up = AppHostProcess.Start(["up", "--no-watch"], environment);
        return session;
    }

    /// <summary>Opens <paramref name="url"/> (the login URL the console printed) in headless Chromium.</summary>
    public async Task<IPage> OpenAsync(string url)
    {
        _playwright ??= await Playwright.CreateAsync();
        _browser ??= await HeadlessChromium.LaunchAsync(_playwright, _profile);
        var page = await HeadlessChromium.PageAsync(_browser);
        await page.GotoAsync(url);
        return page;
    }

    /// <summary>
    /// Runs a dashboard expectation; when it fails, the failure carries a screenshot and the AppHost's console tail,
    /// where the AppHost says why the dashboard shows nothing (e.g. that it cannot reach the resource service).
    /// </summary>
    public async Task ExpectAsync(IPage page, string what, Func<Task> expectation)
    {
        try
        {
            await expectation();
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", $"dashboard-failed-{Name}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
            Assert.Fail($"dashboard: {what}: {ex.Message.Split('\n')[0]}\nscreenshot: {shot}\nAppHost console:\n{Up.Tail()}");
        }
    }

    /// <summary>Ctrl+C to the AppHost, then waits (30 s at most) for it to exit.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await Up.SendCtrlCAsync(cancellationToken);
        await Up.Process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Up?.Dispose();
        Workspace.Dispose();
        Directory.Delete(State, recursive: true);
        Directory.Delete(_profile, recursive: true);
        await Docker.DisposeAsync();
    }
}
