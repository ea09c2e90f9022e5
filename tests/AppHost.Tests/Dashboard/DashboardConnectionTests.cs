using DevEnv.AppHost.Tests.Support;
using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Dashboard;

/// <summary>
/// A real `up` whose dashboard is pointed at a resource service address where nothing listens
/// (DEVENV_DASHBOARD_RESOURCE_SERVICE_URL): once a browser opens the dashboard, which then cannot list any resource,
/// the AppHost's console says so in one line, once, with the gRPC status the dashboard got, and no stack trace.
/// </summary>
public sealed class DashboardConnectionTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(3);
    private const string Said = "dashboard: cannot reach the AppHost's resource service";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_dashboard_that_cannot_reach_the_resource_service_is_said_in_the_console()
    {
        var dead = $"http://127.0.0.1:{FreePort.Next()}";
        await using var session = DashboardSession.Start("devenv-dash-conn-", env => env["DEVENV_DASHBOARD_RESOURCE_SERVICE_URL"] = dead);
        var up = session.Up;
        var login = await up.LoginUrlAsync(UpTimeout, Ct);
        Assert.DoesNotContain(up.Output, l => l.Contains(Said, StringComparison.Ordinal));

        // The dashboard connects when a page asks for resources.
        var page = await session.OpenAsync(login);
        var line = await up.WaitForLineAsync(Said, TimeSpan.FromSeconds(90), Ct);
        Assert.Contains("Unavailable", line, StringComparison.Ordinal);
        var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", $"dashboard-unreachable-{session.Name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"{line}\n{shot}");

        // It retries every few seconds; the console says it once a minute, not at every retry.
        await Task.Delay(TimeSpan.FromSeconds(15), Ct);
        Assert.Single(up.Output, l => l.Contains(Said, StringComparison.Ordinal));
        // ... and instead of the gRPC stack trace Aspire would forward from the dashboard's log at each retry.
        Assert.DoesNotContain(up.Output, l => l.Contains("RpcException", StringComparison.Ordinal));
        Assert.Equal(0, await page.Locator("[role=gridcell][title='KindCluster: cluster']").CountAsync());
        await session.StopAsync(Ct);
    }
}
