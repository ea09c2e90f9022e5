using System.Text.Json;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Probes;

/// <summary>The state file and the HTTP probes never disagree about readiness.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class StateFileTests(PublishedApp app)
{
    [Fact]
    public async Task WhenHttpReadinessFirstAnswers200_TheStateFileAlreadySaysReady()
    {
        var ct = TestContext.Current.CancellationToken;
        // A slow heartbeat: only writing on the change of state keeps the file in step.
        await using var instance = AppInstance.Start(app, TimeSpan.Zero, extraEnvironment: new Dictionary<string, string> { ["Probe__HeartbeatInterval"] = "2s" });
        await instance.WaitUntilReadyAsync(ct);
        using var state = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(instance.StateDirectory, "SampleApi.probe.json"), ct));

        Assert.True(state.RootElement.GetProperty("ready").GetBoolean(), $"state file when /healthz/ready first said 200: {state.RootElement}");
        Assert.Equal("Running", state.RootElement.GetProperty("phase").GetString());
    }
}
