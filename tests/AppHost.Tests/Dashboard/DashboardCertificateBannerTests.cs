using DevEnv.AppHost.Tests.Cli;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Support;
using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Dashboard;

/// <summary>
/// A first `up` on a machine without a trusted HTTPS development certificate (this one: no `dotnet dev-certs` was ever
/// run) opens the real dashboard, over plain HTTP on 127.0.0.1, without Aspire's red "No trusted development
/// certificate" notification, and the AppHost's console carries no such warning. The screenshot is kept in the test
/// output folder (its path is in the test's output).
/// </summary>
public sealed class DashboardCertificateBannerTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(3);
    private const float UiTimeout = 60_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_first_up_over_plain_http_shows_no_certificate_banner()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var docker = new DockerTestEnvironment(name);
        using var workspace = new SampleApiWorkspace();
        var state = Directory.CreateTempSubdirectory("devenv-cert-state-").FullName;
        var profile = Directory.CreateTempSubdirectory("devenv-chromium-").FullName;
        var environment = UpProcessTests.Environment(name, workspace.Root, state, FreePort.Next(), FreePort.Next());
        try
        {
            using var up = AppHostProcess.Start(["up", "--no-watch"], environment);
            var login = await up.LoginUrlAsync(UpTimeout, Ct);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await HeadlessChromium.LaunchAsync(playwright, profile);
            var page = await HeadlessChromium.PageAsync(browser);
            await page.GotoAsync(login);
            // The resources are listed: the dashboard reached the AppHost, which posts its notifications on the same
            // connection (the certificate one before the dashboard even starts); give them a few seconds to show.
            var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", $"dashboard-first-up-{name}.png");
            try
            {
                await Assertions.Expect(page.Locator("[role=gridcell][title='KindCluster: cluster']")).ToBeVisibleAsync(new() { Timeout = UiTimeout });
                await Task.Delay(TimeSpan.FromSeconds(5), Ct);
            }
            finally
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
                TestContext.Current.TestOutputHelper?.WriteLine($"dashboard after a first up: {shot}\n{up.Tail()}");
            }

            Assert.Equal(0, await page.GetByText("development certificate").CountAsync());
            Assert.DoesNotContain(up.Output, line => line.Contains("development certificate", StringComparison.OrdinalIgnoreCase));
            await up.SendCtrlCAsync(Ct);
            await up.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
            Directory.Delete(profile, recursive: true);
        }
    }
}
