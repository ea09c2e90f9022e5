using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>
/// Debian's Chromium (scripts/setup/browser.sh installs it) driven by Playwright, headless, in a throw-away profile:
/// the Aspire dashboard is a Blazor app, so only a browser that waits for it shows what it draws.
/// </summary>
public static class HeadlessChromium
{
    private static readonly string[] Args =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>Starts the browser with its profile in <paramref name="profile"/>; dispose the result to close it.</summary>
    public static Task<IBrowserContext> LaunchAsync(IPlaywright playwright, string profile) =>
        playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = Args,
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });

    /// <summary>The context's first page, opened if it has none.</summary>
    public static async Task<IPage> PageAsync(IBrowserContext browser) => browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
}
