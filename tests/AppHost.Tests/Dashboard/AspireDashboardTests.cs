using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.AppHost.Tests.Support;
using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Dashboard;

/// <summary>
/// The real Aspire dashboard of a real `up`, in Debian's headless Chromium, opened with the login URL the console
/// printed: it lists our resources with their states, shows the image's properties, and its "Rebuild &amp; deploy"
/// button takes the image through Building back to Running with a new tag after a source change.
/// </summary>
public sealed class AspireDashboardTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(5);
    private static readonly float UiTimeout = 60_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_the_resources_and_rebuilds_the_image_from_its_command()
    {
        await using var session = DashboardSession.Start("devenv-dash-state-");
        var up = session.Up;
        var login = await up.LoginUrlAsync(UpTimeout, Ct);
        var first = await up.WaitForLineAsync("sampleapi-image: Running", UpTimeout, Ct);
        await up.WaitForLineAsync("cluster: Failed", UpTimeout, Ct);

        var page = await session.OpenAsync(login);
        await ExpectStateAsync(session, page, "registry", "Running");
        await ExpectStateAsync(session, page, "sampleapi-image", "Running");
        await ExpectStateAsync(session, page, "cluster", "Failed");
        await ExpectStateAsync(session, page, "sampleapi-deployment", "Waiting");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(session.State, "resources.png") });

        // The image's properties: its content tag is what the console announced.
        var tag = Tag(first);
        await Row(page, "sampleapi-image").Locator("[role=gridcell]").Nth(1).ClickAsync();
        await page.Locator("fluent-button[title='View options']").Nth(1).ClickAsync();
        await page.Locator("fluent-menu-item:visible", new() { HasText = "Show all properties" }).First.ClickAsync();
        await Assertions.Expect(page.GetByText(tag, new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = UiTimeout });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(session.State, "image-properties.png") });

        // A source change, then the dashboard's command: Building, then Running with a new tag.
        session.Workspace.Edit(session.Workspace.HelloFile, "\"Hello, World!\"", "\"Hello, dashboard!\"");
        await Row(page, "sampleapi-image").Locator("fluent-button[title='Actions']").ClickAsync();
        await page.Locator("fluent-menu-item:visible", new() { HasText = "Rebuild & deploy" }).First.ClickAsync();
        await up.WaitForLineAsync("sampleapi-image: Building", UpTimeout, Ct);
        var rebuilt = await up.WaitForLineAsync("sampleapi-image: Running - pushed", UpTimeout, Ct, except: new HashSet<string> { first });
        Assert.NotEqual(tag, Tag(rebuilt));
        await ExpectStateAsync(session, page, "sampleapi-image", "Running");
        await Assertions.Expect(page.GetByText(Tag(rebuilt), new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = UiTimeout });

        await session.StopAsync(Ct);
        var down = await new ProcessRunner().RunAsync(AppHostProcess.Spec(["down", "--purge"], session.Environment), ResourceLog.None, Ct);
        Assert.True(down.ExitCode == 0, $"down failed:\n{down.Error}");
    }

    private static ILocator Row(IPage page, string resource) =>
        page.Locator("[role=row]").Filter(new() { Has = page.Locator($"[role=gridcell][title$=': {resource}']") });

    private static Task ExpectStateAsync(DashboardSession session, IPage page, string resource, string state) =>
        session.ExpectAsync(page, $"{resource} is not shown {state}", () =>
            Assertions.Expect(Row(page, resource).Locator($"[role=gridcell][title^='{state}']")).ToBeVisibleAsync(new() { Timeout = UiTimeout }));

    // "sampleapi-image: Running - pushed localhost:5001/sampleapi:src-0123456789ab" → "src-0123456789ab"
    private static string Tag(string line) => line[(line.LastIndexOf(':') + 1)..].Split(' ')[0];
}
