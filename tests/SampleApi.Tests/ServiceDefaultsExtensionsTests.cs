using System.Net;
using System.Net.Sockets;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests;

/// <summary>How the service defaults run the app: start-up failures and the structured logs.</summary>
[Collection(PublishedAppCollection.Name)]
public sealed class ServiceDefaultsExtensionsTests(PublishedApp app)
{
    [Fact]
    public async Task PortInUse_ExitsWithClearError()
    {
        var ct = TestContext.Current.CancellationToken;
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        await using var instance = AppInstance.Start(app, TimeSpan.Zero, port: port);
        var exitCode = await instance.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal(3, exitCode);
        var error = string.Join('\n', instance.StandardError);
        Assert.Contains($"127.0.0.1:{port}", error);
        Assert.Contains("address already in use", error);
        Assert.Contains("choose another port", error);
    }

    [Fact]
    public async Task Logs_AreJsonLines_WhenNotATerminal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var instance = AppInstance.Start(app, TimeSpan.Zero);
        await instance.WaitUntilReadyAsync(ct);
        instance.Terminate();
        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(15), ct));

        Assert.NotEmpty(instance.StandardOutput);
        Assert.All(instance.StandardOutput, line => Assert.StartsWith("{\"Timestamp\":", line));
        var drain = Assert.Single(instance.LogEvents(1001));
        Assert.Equal("SIGTERM", drain.GetProperty("State").GetProperty("Reason").GetString());
        Assert.Single(instance.LogEvents(1003)); // stopping to accept
        Assert.Single(instance.LogEvents(1006)); // exiting
    }
}
