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
        await using var session = DashboardSession.Start("devenv-cert-state-");
        var up = session.Up;
        var login = await up.LoginUrlAsync(UpTimeout, Ct);
        var page = await session.OpenAsync(login);

        // The resources are listed: the dashboard reached the AppHost, which posts its notifications on the same
        // connection (the certificate one before the dashboard even starts); give them a few seconds to show.
        var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", $"dashboard-first-up-{session.Name}.png");
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
        await session.StopAsync(Ct);
    }
}
