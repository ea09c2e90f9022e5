using System.Net;
using System.Net.Sockets;
using DevEnv.Hosting.Traffic;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>
/// Every request goes on the wire once and each way of failing is its own kind, checked against what real servers
/// on 127.0.0.1 received: the server-side count of requests equals what the report says was sent.
/// </summary>
public sealed class SentOnceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_default_HttpClient_re_sends_a_request_the_server_dropped()
    {
        // Why WireLedger exists: the framework's own behaviour, measured, so the day it changes this test says so.
        await using var server = new MisbehavingServer(Misbehaviour.CloseEveryOther);
        using var client = new HttpClient();
        var failed = 0;
        for (var i = 0; i < 20; i++)
        {
            try { (await client.GetAsync(server.Address, Ct)).EnsureSuccessStatusCode(); }
            catch (HttpRequestException) { failed++; }
        }

        Assert.True(server.Received > 20, $"server received {server.Received} for 20 sent, {failed} failed");
        Assert.True(failed < 10, $"{failed} of 20 failed although the server dropped every other request: nothing was hidden");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_generator_sends_a_dropped_request_once_and_counts_it_as_dropped(bool keepAlive)
    {
        await using var server = new MisbehavingServer(Misbehaviour.CloseEveryOther);
        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 40, Duration = TimeSpan.FromSeconds(1), Paths = ["/"], KeepAlive = keepAlive,
        }, Ct);

        var detail = ReportTable.Render([("run", report)]);
        Assert.Equal(40, report.Requests);
        Assert.Equal(server.Received, report.Requests + report.WarmUp!.Requests);
        Assert.InRange(report.Failures[FailureKind.Dropped], 15, 25);
        Assert.Equal(report.Failed, report.Failures[FailureKind.Dropped]);
        Assert.Equal(report.Failures[FailureKind.Dropped], report.HiddenByRetryingClient);
        Assert.Contains($"hidden by a retrying client: {report.HiddenByRetryingClient}", detail);
        Assert.Equal(0, server.NotUnderstood);
    }

    [Theory]
    [InlineData(Misbehaviour.CloseAfterRequest, FailureKind.Dropped, true)]
    [InlineData(Misbehaviour.CloseAfterRequest, FailureKind.Dropped, false)]
    [InlineData(Misbehaviour.ResetMidResponse, FailureKind.Reset, true)]
    [InlineData(Misbehaviour.ResetMidResponse, FailureKind.Reset, false)]
    [InlineData(Misbehaviour.Stall, FailureKind.Timeout, true)]
    [InlineData(Misbehaviour.ServiceUnavailable, FailureKind.ServerError, true)]
    [InlineData(Misbehaviour.ServiceUnavailable, FailureKind.ServerError, false)]
    public async Task Each_misbehaviour_is_counted_once_as_its_own_kind(Misbehaviour mode, FailureKind kind, bool keepAlive)
    {
        await using var server = new MisbehavingServer(mode);
        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = server.Address, RatePerSecond = 20, Duration = TimeSpan.FromSeconds(0.5), Paths = ["/"], KeepAlive = keepAlive,
            RequestTimeout = TimeSpan.FromMilliseconds(700), WarmUpLimit = TimeSpan.FromSeconds(1),
        }, Ct);

        var detail = ReportTable.Render([("run", report)]);
        Assert.Equal(10, report.Requests);
        Assert.True(report.Failures[kind] == 10, detail);
        Assert.Equal(10, report.Failed);
        Assert.True(server.Received == report.Requests + report.WarmUp!.Requests, $"server received {server.Received}, not understood {server.NotUnderstood}, ids {string.Join(' ', server.Ids)}\n{detail}");
        Assert.Equal(0, server.NotUnderstood);
        // The client tried to re-send every dropped request (keep-alive or not) and the generator stopped it.
        Assert.Equal(kind == FailureKind.Dropped ? report.Requests : 0, report.Generator.ResendsBlocked);
    }

    [Fact]
    public async Task A_closed_port_counts_as_refused()
    {
        // Bind and release a port: nothing listens there afterwards.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var report = await new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = new Uri($"http://127.0.0.1:{port}/"), RatePerSecond = 20, Duration = TimeSpan.FromSeconds(0.5),
        }, Ct);

        Assert.Equal(10, report.Requests);
        Assert.Equal(10, report.Failures[FailureKind.Refused]);
        Assert.Equal(0, report.WarmUp!.Requests);
        Assert.Equal(0, report.HiddenByRetryingClient);
    }
}
