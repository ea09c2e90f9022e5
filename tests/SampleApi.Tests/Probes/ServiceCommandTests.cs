using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Probes;

/// <summary>The app's own <c>probe</c> subcommand, as a Kubernetes exec probe runs it.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class ServiceCommandTests(PublishedApp app)
{
    [Fact]
    public async Task Probes_PassWhileRunning_ReadyFailsWhileDraining_LiveDoesNot()
    {
        var ct = TestContext.Current.CancellationToken;
        // Long enough for a few probe processes on a loaded machine (each one is a .NET start).
        await using var instance = AppInstance.Start(app, TimeSpan.FromSeconds(5));
        await instance.WaitUntilReadyAsync(ct);

        foreach (var probe in new[] { "startup", "live", "ready" })
        {
            var result = await instance.RunCommandAsync(["probe", probe], ct);
            Assert.True(result.ExitCode == 0, $"probe {probe}: {result}");
            Assert.Contains($"{probe}: healthy", result.StandardOutput);
        }

        instance.Terminate();
        var ready = await WaitForAsync(() => instance.RunCommandAsync(["probe", "ready"], ct), r => r.ExitCode == 1, ct);
        Assert.Contains("ready: unhealthy (phase Draining", ready.StandardError);
        var live = await instance.RunCommandAsync(["probe", "live"], ct);
        Assert.True(live.ExitCode == 0, $"probe live while draining: {live}");
        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));

        var afterExit = await instance.RunCommandAsync(["probe", "live"], ct);
        Assert.Equal(1, afterExit.ExitCode);
        Assert.Contains("no state file", afterExit.StandardError);
    }

    [Theory]
    [InlineData(new[] { "probe", "bogus" }, "unknown probe 'bogus'")]
    [InlineData(new[] { "probe" }, "expected exactly one probe name")]
    [InlineData(new[] { "probe", "live", "extra" }, "expected exactly one probe name")]
    public async Task UnknownOrMissingProbe_IsAUsageError(string[] args, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        var result = await AppInstance.RunAsync(app.ExecutablePath, new Dictionary<string, string>(), args, ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        Assert.Contains("Usage: SampleApi probe live|ready|startup", result.StandardError);
    }

    [Fact]
    public async Task ProbeWithoutRunningApp_FailsSayingWhere()
    {
        var ct = TestContext.Current.CancellationToken;
        var empty = Directory.CreateTempSubdirectory("sampleapi-empty-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["Probe__StateDirectory"] = empty };
            var result = await AppInstance.RunAsync(app.ExecutablePath, env, ["probe", "live"], ct);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"no state file at {Path.Combine(empty, "SampleApi.probe.json")}", result.StandardError);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    private static async Task<CommandResult> WaitForAsync(Func<Task<CommandResult>> run, Func<CommandResult, bool> done, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await run();
            if (done(result) || attempt == 20)
            {
                return result;
            }

            await Task.Delay(50, ct);
        }
    }
}
