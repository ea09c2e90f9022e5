using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Model;

namespace DevEnv.AppHost.Tests.HotReload;

/// <summary>
/// Where the AppHost opens the Hot Reload channel, on the real Docker Engine: the gateway of the nodes' network (a
/// network of this test's own stands in for kind's), with the key pair in the state folder, owner-only; and no channel,
/// with the reason, where the pods could not dial it. Each save carried into the pods is an AppHost span from the write.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PodUpdateChannelHostTests : IDisposable
{
    private readonly TestResources _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task The_channel_listens_on_the_nodes_network_gateway_with_an_owner_only_key()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var runner = new ProcessRunner();
        var network = $"{_env.Name}-nodes";
        await runner.RunCheckedAsync(new ProcessSpec("docker", ["network", "create", "--label", $"{EnvironmentSettings.EnvironmentLabel}={_env.Name}", network]), ResourceLog.None, cancellation);
        try
        {
            var gateway = IPAddress.Parse((await runner.RunCheckedAsync(new ProcessSpec("docker", ["network", "inspect", network, "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}"]), ResourceLog.None, cancellation)).Output.Trim());
            var lines = new List<string>();
            var opened = await PodUpdateChannelHost.OpenAsync(Services(_env.Settings with { KindNetwork = network }), lines.Add, cancellation);

            var (channel, environment) = Assert.NotNull(opened);
            await using (channel)
            {
                Assert.Equal(gateway, channel.Endpoint.Address);
                Assert.Contains(lines, l => l.Contains(channel.Endpoint.ToString(), StringComparison.Ordinal));
                var keyFile = Path.Combine(_env.Settings.ResolvedStateDirectory, "hotreload-channel.pem");
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                // A second AppHost of this environment finds the same key, so pods that outlived the first still get in.
                using var again = await ChannelKey.LoadOrCreateAsync(keyFile, cancellation);
                environment.AddAgentImage("src-0123456789ab");
                Assert.Equal(again.PublicKey, environment.For("sampleapi", "localhost:5001/sampleapi:src-0123456789ab").Single(v => v.Name == PodHotReloadEnvironment.KeyVariable).Value);
                // It answers where the containers reach it.
                using var client = new TcpClient();
                await client.ConnectAsync(channel.Endpoint, cancellation);
            }
        }
        finally
        {
            await runner.RunAsync(new ProcessSpec("docker", ["network", "rm", network]), ResourceLog.None, CancellationToken.None);
        }
    }

    [Fact]
    public async Task No_channel_where_the_pods_cannot_dial_this_host_and_the_log_says_why()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var lines = new List<string>();
        Assert.Null(await PodUpdateChannelHost.OpenAsync(Services(_env.Settings with { KindNetwork = $"{_env.Name}-missing" }), lines.Add, cancellation));
        Assert.Contains(lines, l => l.Contains($"'{_env.Name}-missing' has no IPv4 gateway", StringComparison.Ordinal) && l.Contains("rebuilds and rolls out", StringComparison.Ordinal));

        lines.Clear();
        Assert.Null(await PodUpdateChannelHost.OpenAsync(Services(_env.Settings with { RemoteRegistry = RegistryTarget.Parse("registry.example.com/team") }), lines.Add, cancellation));
        Assert.Contains(lines, l => l.Contains("remote cluster", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_env.Settings.ResolvedStateDirectory, "hotreload-channel.pem")));
    }

    [Fact]
    public void A_save_carried_into_the_pods_is_a_span_from_the_write_to_the_last_answer()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DevEnvTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var saved = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var outcome = new HotReloadOutcome(saved, TimeSpan.FromMilliseconds(850), 3, 2, 2048,
            [new PodApply("10.0.0.1", true, [], null), new PodApply("10.0.0.2", true, [], null), new PodApply("10.0.0.3", false, [], "no answer within 15 s")]);

        DevEnvTelemetry.RecordHotReload("sampleapi-deployment", outcome);

        var span = Assert.Single(spans, s => s.DisplayName == "hot reload sampleapi-deployment");
        Assert.Equal(saved.UtcDateTime, span.StartTimeUtc);
        Assert.Equal(TimeSpan.FromMilliseconds(850), span.Duration);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(2, span.GetTagItem("devenv.hotreload.applied"));
    }

    private static DevEnvServices Services(EnvironmentSettings settings) => new(settings, CliOptions.Parse(["up"]));
}
