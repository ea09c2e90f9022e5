using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;
using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// The real Aspire dashboard, the one the AppHost starts (from the Aspire.Dashboard.Sdk package), run on its own on
/// free 127.0.0.1 ports: OTLP/HTTP with API-key authentication as the AppHost configures it, and its telemetry HTTP API
/// (unsecured, test only) to read back what arrived.
/// </summary>
public sealed class AspireDashboardProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private AspireDashboardProcess(ChildProcess process, int frontendPort, int otlpHttpPort, string apiKey)
    {
        _process = process;
        Frontend = new Uri($"http://127.0.0.1:{frontendPort}");
        OtlpHttp = new Uri($"http://127.0.0.1:{otlpHttpPort}");
        ApiKey = apiKey;
    }

    /// <summary>The UI and the telemetry API.</summary>
    public Uri Frontend { get; }

    /// <summary>The OTLP/HTTP endpoint.</summary>
    public Uri OtlpHttp { get; }

    /// <summary>The key OTLP senders must present (x-otlp-api-key).</summary>
    public string ApiKey { get; }

    /// <summary>What the dashboard printed.</summary>
    public string Output => _process.Output;

    /// <summary>The dashboard executable of the Aspire.Dashboard.Sdk package restored for the AppHost, or null.</summary>
    public static string? FindExecutable()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var root = Path.Combine(packages, "aspire.dashboard.sdk.linux-x64");
        return Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).Select(v => Path.Combine(v, "tools", "Aspire.Dashboard")).LastOrDefault(File.Exists)
            : null;
    }

    /// <summary>
    /// Starts the dashboard (with <paramref name="apiKey"/> and OTLP/HTTP on <paramref name="otlpHttpPort"/> when given,
    /// else a new key and a free port) and waits (60 s at most) until its telemetry API answers.
    /// </summary>
    public static async Task<AspireDashboardProcess> StartAsync(string executable, CancellationToken cancellationToken, string? apiKey = null, int? otlpHttpPort = null)
    {
        var (frontend, grpc, http) = (FreePort.Next(), FreePort.Next(), otlpHttpPort ?? FreePort.Next());
        apiKey ??= Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var process = ChildProcess.Start(executable, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{frontend}",
            ["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpc}",
            ["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{http}",
            ["Dashboard__Otlp__AuthMode"] = "ApiKey",
            ["Dashboard__Otlp__PrimaryApiKey"] = apiKey,
            ["Dashboard__Frontend__AuthMode"] = "Unsecured",
            ["Dashboard__Api__Enabled"] = "true",
            ["Dashboard__Api__AuthMode"] = "Unsecured",
        });
        var dashboard = new AspireDashboardProcess(process, frontend, http, apiKey);
        try
        {
            await process.WaitForHttpAsync(new Uri(dashboard.Frontend, "/api/telemetry/resources"), TimeSpan.FromSeconds(60), cancellationToken);
            return dashboard;
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET /api/telemetry/&lt;path&gt; as text.</summary>
    public async Task<string> GetTelemetryAsync(string path, CancellationToken cancellationToken)
    {
        using var api = new HttpClient { BaseAddress = Frontend, Timeout = TimeSpan.FromSeconds(5) };
        return await api.GetStringAsync("/api/telemetry/" + path, cancellationToken);
    }

    /// <summary>
    /// Opens the dashboard's Metrics page of <paramref name="resource"/> in headless Chromium (profile under
    /// <paramref name="scratch"/>) and waits, up to <paramref name="timeout"/>, until it lists <paramref name="instrument"/>;
    /// fails with the page's text otherwise.
    /// </summary>
    public async Task ExpectMetricAsync(string resource, string instrument, string scratch, TimeSpan timeout)
    {
        using var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateDirectory(Path.Combine(scratch, "chromium-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        await using var browser = await HeadlessChromium.LaunchAsync(playwright, profile);
        var page = await HeadlessChromium.PageAsync(browser);
        await page.GotoAsync(new Uri(Frontend, "/metrics/resource/" + Uri.EscapeDataString(resource)).ToString(), new() { WaitUntil = WaitUntilState.NetworkIdle });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The page shows what had arrived when it opened; the first export may come later, so reload until it shows.
        while (!await page.GetByText(instrument, new() { Exact = true }).First.IsVisibleAsync())
        {
            if (clock.Elapsed > timeout)
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(scratch, "metrics.png") });
                Assert.Fail($"the dashboard's Metrics page of {resource} did not list {instrument} within {timeout.TotalSeconds:0} s; it shows:\n" +
                            await page.InnerTextAsync("body") + "\ndashboard:\n" + Output);
            }

            await Task.Delay(1000);
            await page.ReloadAsync(new() { WaitUntil = WaitUntilState.NetworkIdle });
        }

        if (Environment.GetEnvironmentVariable("DEVENV_TEST_SCREENSHOTS") is { Length: > 0 } screenshots)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "metrics.png") });
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
