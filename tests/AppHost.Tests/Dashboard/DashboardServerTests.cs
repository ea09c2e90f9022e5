using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DevEnv.AppHost.Dashboard;
using DevEnv.AppHost.Model;
using Microsoft.Playwright;

namespace DevEnv.AppHost.Tests.Dashboard;

/// <summary>The dashboard in a real headless Chromium, over fake resources so it is fast.</summary>
public sealed class DashboardServerTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private async Task<IPage> LoggedInPageAsync()
    {
        var page = await fixture.Browser.NewPageAsync();
        var response = await page.GotoAsync(fixture.Server.LoginUrl.ToString());
        Assert.Equal(fixture.Server.BaseUrl.ToString(), page.Url);
        Assert.Equal(200, response!.Status);
        await page.Locator("#connection[data-state=live]").WaitForAsync(new() { Timeout = 10_000 });
        return page;
    }

    [Fact]
    public async Task Without_the_token_it_refuses_pages_api_and_events()
    {
        var context = await fixture.Browser.Browser!.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            var response = await page.GotoAsync(fixture.Server.BaseUrl.ToString());
            Assert.Equal(401, response!.Status);
            Assert.Equal("Token required", await page.Locator("h1").TextContentAsync());

            var wrong = await page.GotoAsync(new Uri(fixture.Server.BaseUrl, "login?t=not-the-token").ToString());
            Assert.Equal(401, wrong!.Status);
        }
        finally
        {
            await context.CloseAsync();
        }

        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/resources", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, Ct)).StatusCode);
        var post = new HttpRequestMessage(HttpMethod.Post, "/api/resources/registry/commands/stop");
        post.Headers.Add(DashboardAuth.CsrfHeader, "1");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(post, Ct)).StatusCode);
        Assert.DoesNotContain("stop:registry", fixture.Journal);
    }

    [Fact]
    public async Task Login_sets_an_http_only_strict_cookie_and_posts_need_a_same_origin_proof()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = fixture.Server.BaseUrl };
        var login = await http.GetAsync(fixture.Server.LoginUrl, Ct);
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/resources/sampleapi/commands/scale");
        crossSite.Headers.Add("Cookie", cookie.Split(';')[0]);
        crossSite.Headers.Add("Origin", "http://evil.example");
        crossSite.Headers.Add(DashboardAuth.CsrfHeader, "1");
        crossSite.Content = JsonContent.Create(new { replicas = "99" });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(crossSite, Ct)).StatusCode);

        var noHeader = new HttpRequestMessage(HttpMethod.Post, "/api/resources/sampleapi/commands/scale");
        noHeader.Headers.Add("Cookie", cookie.Split(';')[0]);
        noHeader.Content = JsonContent.Create(new { replicas = "99" });
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(noHeader, Ct)).StatusCode);

        var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        rebound.Headers.Add("Cookie", cookie.Split(';')[0]);
        rebound.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(rebound, Ct)).StatusCode);
        Assert.DoesNotContain(fixture.ScaleCalls, c => c.GetValueOrDefault("replicas") == "99");
    }

    [Fact]
    public async Task With_the_token_it_lists_the_resources_with_their_states()
    {
        var page = await LoggedInPageAsync();

        await page.Locator("tr[data-resource=registry][data-state=Running]").WaitForAsync();
        var cluster = page.Locator("tr[data-resource=cluster]");
        Assert.Equal("Failed", await cluster.Locator(".state").TextContentAsync());
        Assert.Contains("No node image can be obtained", await cluster.Locator(".reason").TextContentAsync());
        Assert.Equal("http://localhost:5001/v2/", await page.Locator("tr[data-resource=registry] .endpoints a").GetAttributeAsync("href"));
        Assert.Equal(4, await page.Locator("#resources tbody tr").CountAsync());
        Assert.Equal("17.8 s", await page.Locator("[data-pipeline=sampleapi-image] .stage:has-text('publish') .secs").TextContentAsync());
        Assert.Equal(2, await page.Locator("[data-rollout=sampleapi] .rs").CountAsync());
        Assert.Contains("Readiness probe failed", await page.Locator("[data-pod=sampleapi-7c1e-fghij] .why").TextContentAsync());

        // A state change arrives without a reload.
        fixture.Environment.Notifications.SetState("cluster", ResourceStates.Starting, "creating the cluster");
        await page.Locator("tr[data-resource=cluster][data-state=Starting]").WaitForAsync(new() { Timeout = 5_000 });
        fixture.Environment.Notifications.SetState("cluster", ResourceStates.Failed, "No node image can be obtained");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_new_log_line_appears_within_a_second()
    {
        var page = await LoggedInPageAsync();
        await page.Locator("#log-tabs button[data-log=registry]").ClickAsync();
        await page.Locator("#log :text('registry is listening on :5000')").WaitForAsync();

        var line = $"pushed layer {Guid.NewGuid():N}";
        var stopwatch = Stopwatch.StartNew();
        fixture.Environment.Logs.Write("registry", line);
        await page.Locator($"#log :text('{line}')").WaitForAsync(new() { Timeout = 1_000 });
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"the line took {stopwatch.ElapsedMilliseconds} ms");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_button_runs_its_command()
    {
        var page = await LoggedInPageAsync();
        var row = page.Locator("tr[data-resource=sampleapi]");
        await row.Locator(".scale input").FillAsync("5");
        // A live update re-renders the row while the user types: the value and the focus survive it.
        fixture.Environment.Notifications.SetState("sampleapi", ResourceStates.Running, "update while typing");
        await row.Locator("td.reason:has-text('update while typing')").WaitForAsync(new() { Timeout = 5_000 });
        Assert.True(await row.Locator(".scale input").EvaluateAsync<bool>("e => e === document.activeElement"));
        Assert.Equal("5", await row.Locator(".scale input").InputValueAsync());
        await row.Locator("button[data-command=scale]").ClickAsync();

        await page.Locator(".toast:has-text('Scaled to 5 replicas.')").WaitForAsync(new() { Timeout = 5_000 });
        Assert.Contains(fixture.ScaleCalls, c => c.GetValueOrDefault("replicas") == "5");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Verify_rollout_draws_its_chart_and_phase_table()
    {
        var page = await LoggedInPageAsync();
        await page.Locator("tr[data-resource=sampleapi] button[data-command=verify-rollout]").ClickAsync();
        await page.Locator("#verification .running").WaitForAsync(new() { Timeout = 5_000 });

        var card = page.Locator("#verification [data-verification=sampleapi][data-passed=true]");
        await card.WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("restart", fixture.RestartCalls);
        // One group per second of load (about 4.5 s), the rollout window drawn, a p99 line with points.
        Assert.InRange(await card.Locator("svg.verification-chart g.second").CountAsync(), 4, 7);
        Assert.Equal(0, await card.Locator("svg.verification-chart rect.failed").CountAsync());
        Assert.Equal(1, await card.Locator("svg .rollout-window rect").CountAsync());
        Assert.NotEmpty(await card.Locator("svg polyline.p99").GetAttributeAsync("points") ?? "");
        var rollout = card.Locator("tr[data-phase='during rollout'] td");
        Assert.True(int.Parse(await rollout.Nth(1).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 60);
        Assert.Equal("0", await rollout.Nth(2).InnerTextAsync());
        Assert.StartsWith("0 of ", await card.Locator(".verification-headline").InnerTextAsync());
        // The toast keeps to the headline; the table lives in the card.
        await page.Locator(".toast:has-text('Rollout verified: 0 of')").WaitForAsync(new() { Timeout = 5_000 });
        Assert.DoesNotContain("during rollout", await page.Locator(".toast").Last.InnerTextAsync());

        if (Environment.GetEnvironmentVariable("DEVENV_SCREENSHOTS_DIR") is { } folder)
        {
            Directory.CreateDirectory(folder);
            // The toast floats over the card's corner; the picture is of the card alone.
            await page.EvaluateAsync("() => document.querySelectorAll('.toast').forEach(t => t.remove())");
            await page.Locator("#verification").ScreenshotAsync(new() { Path = Path.Combine(folder, "verify-rollout.png") });
        }

        await page.CloseAsync();
    }

    /// <summary>Also what scripts/screenshots.sh runs: DEVENV_SCREENSHOTS_DIR says where the PNGs go.</summary>
    [Fact]
    public async Task Screenshots_of_the_dashboard()
    {
        var folder = Environment.GetEnvironmentVariable("DEVENV_SCREENSHOTS_DIR") ?? Path.Combine(Path.GetTempPath(), $"devenv-screenshots-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var page = await LoggedInPageAsync();
        for (var i = 1; i <= 6; i++)
        {
            fixture.Environment.Logs.Write("sampleapi-image", $"  SampleApi -> /src/SampleApi/bin/Release/net10.0/linux-x64/publish/ (step {i})");
        }

        await page.Locator("tr[data-resource=sampleapi-image]").ClickAsync();
        await page.Locator("#log :text('(step 6)')").WaitForAsync();
        var overview = Path.Combine(folder, "dashboard.png");
        await page.ScreenshotAsync(new() { Path = overview, FullPage = true });

        var anonymous = await fixture.Browser.Browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1000, Height = 600 } });
        var refused = await anonymous.NewPageAsync();
        await refused.GotoAsync(fixture.Server.BaseUrl.ToString());
        var token = Path.Combine(folder, "token-required.png");
        await refused.ScreenshotAsync(new() { Path = token });
        await anonymous.CloseAsync();
        await page.CloseAsync();

        Assert.True(new FileInfo(overview).Length > 10_000, "the dashboard screenshot is suspiciously small");
        Assert.True(new FileInfo(token).Length > 2_000);
    }
}
