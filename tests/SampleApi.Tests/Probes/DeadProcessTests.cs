using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Probes;

/// <summary>A state file left behind by a killed process never counts as healthy.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class DeadProcessTests(PublishedApp app)
{
    [Fact]
    public async Task AfterSigkill_EveryProbeFails_WithinOneHeartbeat()
    {
        var ct = TestContext.Current.CancellationToken;
        // A long heartbeat and staleness limit: only the identity check can catch the dead process in time.
        await using var instance = AppInstance.Start(app, TimeSpan.Zero, extraEnvironment: new Dictionary<string, string>
        {
            ["Probe__HeartbeatInterval"] = "5s",
            ["Probe__StaleAfter"] = "30s",
        });
        await instance.WaitUntilReadyAsync(ct);
        var before = await instance.RunCommandAsync(["probe", "live"], ct);
        Assert.True(before.ExitCode == 0, $"probe live while running: {before}");
        var pid = instance.ProcessId;

        instance.Kill();
        Assert.Equal(128 + 9, await instance.WaitForExitAsync(TimeSpan.FromSeconds(10), ct));
        Assert.True(File.Exists(Path.Combine(instance.StateDirectory, "SampleApi.probe.json")), "SIGKILL leaves the state file behind");
        foreach (var probe in new[] { "startup", "ready", "live" })
        {
            var result = await instance.RunCommandAsync(["probe", probe], ct);
            Assert.True(result.ExitCode == 1, $"probe {probe} after SIGKILL: {result}");
            Assert.Contains($"process {pid} has exited", result.StandardError);
        }
    }
}
