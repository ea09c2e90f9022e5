using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Shutdown;

/// <summary>The exit log tells the truth about requests the shutdown timeout cut off.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class AbortedRequestTests(PublishedApp app)
{
    [Fact]
    public async Task RequestLongerThanTheShutdownTimeout_IsCountedAsAborted_InTheExitLine()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var instance = AppInstance.Start(app, TimeSpan.Zero, timeout: TimeSpan.FromSeconds(1));
        await instance.WaitUntilReadyAsync(ct);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var load = new LoadGenerator(client, System.Diagnostics.Stopwatch.StartNew());
        Assert.True((await load.SendAsync("/", ct)).Succeeded);
        var slow = load.SendAsync("/work?ms=10000", ct);
        await Task.Delay(500, ct);

        instance.Terminate();
        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));
        var outcome = await slow;

        Assert.False(outcome.Succeeded, $"the 10 s request cannot finish within a 1 s timeout: {outcome}");
        var exit = Assert.Single(instance.LogEvents(1006)).GetProperty("State");
        Assert.True(exit.GetProperty("AbortedAtTimeout").GetInt32() == 1, $"exit line: {exit}\n{instance.Output()}");
        Assert.Equal(1, exit.GetProperty("Served").GetInt32());
        var aborted = Assert.Single(instance.LogEvents(1014)).GetProperty("State");
        Assert.Equal("/work", aborted.GetProperty("Path").GetString());
    }
}
