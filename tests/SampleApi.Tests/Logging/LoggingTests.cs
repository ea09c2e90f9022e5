using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Logging;

/// <summary>Logging follows configuration, and a failing check is logged once per change, with its exception.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class LoggingTests(PublishedApp app)
{
    [Fact]
    public async Task FailingCheck_IsLoggedOnce_WithItsException_AndLogLevelsFromConfigurationWin()
    {
        var ct = TestContext.Current.CancellationToken;
        var closedPort = FreePort.Next(); // nothing listens there: connection refused
        await using var instance = AppInstance.Start(app, TimeSpan.Zero, extraEnvironment: new Dictionary<string, string>
        {
            ["Downstream__BaseAddress"] = $"http://127.0.0.1:{closedPort}",
            ["Probe__CheckInterval"] = "200ms",
            ["Logging__LogLevel__Microsoft.Extensions.Diagnostics.HealthChecks"] = "Debug",
        });
        await instance.WaitUntilAsync("/healthz/startup", ct);

        // Several runs of the failing check.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        // One run logs several framework lines, and our own line follows them (the monitor records after the run): wait for both.
        while ((instance.StandardOutput.Count(IsFrameworkCheckLine) < 3 || !instance.LogEvents(1012).Any()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        Assert.True(instance.StandardOutput.Count(IsFrameworkCheckLine) >= 3,
            $"Logging__LogLevel__Microsoft.Extensions.Diagnostics.HealthChecks=Debug must show the framework's check logs:\n{instance.Output()}");
        var failing = Assert.Single(instance.LogEvents(1012));
        Assert.Equal("Warning", failing.GetProperty("LogLevel").GetString());
        Assert.Contains("downstream", failing.GetProperty("Message").GetString());
        Assert.Contains("HttpRequestException", failing.GetProperty("Exception").GetString());
        Assert.Contains("Connection refused", failing.GetProperty("Exception").GetString());
    }

    [Fact]
    public async Task ByDefault_FrameworkCheckLogsAreQuiet_TheStateChangeIsStillLogged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var instance = AppInstance.Start(app, TimeSpan.Zero, extraEnvironment: new Dictionary<string, string>
        {
            ["Downstream__BaseAddress"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Probe__CheckInterval"] = "200ms",
        });
        await instance.WaitUntilAsync("/healthz/startup", ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (instance.LogEvents(1012).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        await Task.Delay(1000, ct);
        Assert.Single(instance.LogEvents(1012));
        Assert.DoesNotContain(instance.StandardOutput, IsFrameworkCheckLine);
    }

    private static bool IsFrameworkCheckLine(string line) =>
        line.Contains("\"Category\":\"Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal);
}
