using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests;

/// <summary>Settings are checked before the app listens, and the probe subcommand reads the same ones as the app.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class SettingsTests(PublishedApp app)
{
    [Theory]
    [InlineData("Probe__HeartbeatInterval", "0", "Probe:HeartbeatInterval = '0' must be longer than 0")]
    [InlineData("Probe__StaleAfter", "300ms", "Probe:StaleAfter = '300ms' must be at least twice Probe:HeartbeatInterval")]
    [InlineData("Shutdown__Timeout", "soon", "Shutdown:Timeout = 'soon' is not a duration")]
    public async Task InvalidSetting_RefusesToStart_WithOneClearLine(string key, string value, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var instance = AppInstance.Start(app, TimeSpan.Zero, extraEnvironment: new Dictionary<string, string> { [key] = value });

        Assert.Equal(4, await instance.WaitForExitAsync(TimeSpan.FromSeconds(30), ct));
        var error = Assert.Single(instance.StandardError);
        Assert.StartsWith("error: invalid setting ", error);
        Assert.Contains(message, error);
        Assert.DoesNotContain(instance.StandardOutput, l => l.Contains("Now listening", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeSection_InAppSettingsJson_IsHonouredByTheProbeSubcommand()
    {
        var ct = TestContext.Current.CancellationToken;
        var content = Directory.CreateTempSubdirectory("sampleapi-content-").FullName;
        var state = Directory.CreateTempSubdirectory("sampleapi-appsettings-state-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(content, "appsettings.json"),
                $$"""{ "Probe": { "StateDirectory": "{{state}}", "HeartbeatInterval": "300ms" } }""", ct);
            // No Probe__StateDirectory in the environment: only appsettings.json says where the state file is.
            await using var instance = AppInstance.Start(app, TimeSpan.Zero, workingDirectory: content,
                extraEnvironment: new Dictionary<string, string> { ["Probe__StateDirectory"] = "", ["Probe__HeartbeatInterval"] = "" });
            await instance.WaitUntilReadyAsync(ct);

            Assert.True(File.Exists(Path.Combine(state, "SampleApi.probe.json")), "the app wrote its state where appsettings.json says");
            var live = await instance.RunCommandAsync(["probe", "live"], ct);
            Assert.True(live.ExitCode == 0, $"probe live with the app's appsettings.json: {live}");
        }
        finally
        {
            Directory.Delete(content, recursive: true);
            Directory.Delete(state, recursive: true);
        }
    }
}
