using System.Diagnostics;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Shutdown;

/// <summary>
/// Keep-alive clients bypass endpoint removal (kube-proxy only steers new connections), so once draining
/// every HTTP/1.1 response says <c>Connection: close</c> and the client reconnects.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed class KeepAliveShutdownTests(PublishedApp app)
{
    [Fact]
    public async Task KeepAliveClientAcrossSigterm_SeesNoFailure_AndIsToldToReconnect()
    {
        var ct = TestContext.Current.CancellationToken;
        var drainDelay = TimeSpan.FromSeconds(2);
        await using var instance = AppInstance.Start(app, drainDelay);
        await instance.WaitUntilReadyAsync(ct);
        var connections = 0;
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 2,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, token) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        var load = new LoadGenerator(client, clock);
        load.Start("/", loops: 2, TimeSpan.FromMilliseconds(10), ct);
        await Task.Delay(800, ct);
        var connectionsBefore = Volatile.Read(ref connections);

        var sigtermAt = clock.Elapsed;
        instance.Terminate();
        // The client stops once the instance stops accepting (the end of the drain delay), with some margin.
        load.StopSendingAt = sigtermAt + drainDelay - TimeSpan.FromMilliseconds(300);
        await load.WhenStoppedAsync();
        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));
        var log = instance.Output();

        GracefulShutdownTests.AssertAllSucceeded(load.Outcomes, log);
        var before = load.Outcomes.Where(o => o.CompletedAt < sigtermAt).ToList();
        var during = load.Outcomes.Where(o => o.SentAt > sigtermAt + TimeSpan.FromMilliseconds(100)).ToList();
        Assert.True(before.Count > 10 && before.All(o => !o.ConnectionClose), "keep-alive before draining");
        Assert.True(connectionsBefore <= 2, $"the pool reused its connections before draining ({connectionsBefore} opened)");
        Assert.NotEmpty(during);
        Assert.True(during.All(o => o.ConnectionClose), "every response while draining carries Connection: close");
        Assert.True(Volatile.Read(ref connections) >= connectionsBefore + during.Count,
            $"the client reconnected for each request while draining ({connections} connections for {during.Count} requests)");
    }
}
