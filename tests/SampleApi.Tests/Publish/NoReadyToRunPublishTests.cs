using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Publish;

/// <summary>The fully trimmed publish without any ReadyToRun code starts, answers and drains.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class NoReadyToRunPublishTests(PublishedAppWithoutReadyToRun app) : IClassFixture<PublishedAppWithoutReadyToRun>
{
    [Fact]
    public async Task TrimmedWithoutReadyToRun_Starts_Answers_Drains()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(app.ExecutablePath)!, "System.Private.CoreLib.r2r.dll")));
        await using var instance = AppInstance.Start(app, TimeSpan.FromMilliseconds(500));
        await instance.WaitUntilReadyAsync(ct);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress };

        Assert.Equal("Hello, World!", await client.GetStringAsync("/", ct));
        instance.Terminate();
        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));
        Assert.Single(instance.LogEvents(1001));
        Assert.Single(instance.LogEvents(1006));
        Assert.DoesNotContain(instance.StandardOutput.Concat(instance.StandardError), l => l.Contains("Exception", StringComparison.Ordinal));
    }
}
