using System.Diagnostics;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Shutdown;

/// <summary>
/// The control that shows the shutdown tests can fail: behind a proxy that keeps sending new connections
/// to the instance for a moment after SIGTERM (as kube-proxy does until endpoint removal reaches every
/// node), a drain delay of 0 loses requests and a drain delay longer than that moment loses none.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed class DrainControlTests(PublishedApp app)
{
    private static readonly TimeSpan EndpointRemovalLag = TimeSpan.FromMilliseconds(800);

    [Fact]
    public async Task WithoutDrainDelay_RequestsStillRoutedAfterSigterm_Fail()
    {
        var outcomes = await RunBehindProxyAsync(TimeSpan.Zero);
        Assert.Contains(outcomes, o => !o.Succeeded);
    }

    [Fact]
    public async Task WithDrainDelayLongerThanRoutingLag_NoRequestFails()
    {
        var outcomes = await RunBehindProxyAsync(TimeSpan.FromMilliseconds(1500));
        GracefulShutdownTests.AssertAllSucceeded(outcomes, "");
    }

    private async Task<IReadOnlyList<RequestOutcome>> RunBehindProxyAsync(TimeSpan drainDelay)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var instance = AppInstance.Start(app, drainDelay);
        await instance.WaitUntilReadyAsync(ct);
        await using var proxy = new ForwardingProxy(instance.Port);
        // A new connection per request, like new flows that kube-proxy balances one by one.
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        using var client = new HttpClient(handler) { BaseAddress = proxy.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        var load = new LoadGenerator(client, clock);
        load.Start("/", loops: 3, TimeSpan.FromMilliseconds(10), ct);
        load.Start("/work?ms=200", loops: 1, TimeSpan.Zero, ct);
        await Task.Delay(600, ct);

        var sigtermAt = clock.Elapsed;
        instance.Terminate();
        load.StopSendingAt = sigtermAt + EndpointRemovalLag;
        await load.WhenStoppedAsync();
        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));
        var outcomes = load.Outcomes;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"drain delay {drainDelay.TotalMilliseconds} ms: {outcomes.Count(o => !o.Succeeded)} of {outcomes.Count} requests failed");
        Assert.Contains(outcomes, o => o.Succeeded && o.CompletedAt < sigtermAt);
        return outcomes;
    }
}
