using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.HotReload;

namespace DevEnv.AppHost.Tests.HotReload;

/// <summary>
/// Hot Reload end to end on real parts: the SDK's dotnet-watch on a copy of SampleApi compiles the saves, three real
/// SampleApi processes (the "pods": dotnet-watch's own build output, as the image carries it) load the SDK's agent as a
/// startup hook and dial the channel. A method-body edit must change every replica's answer without a restart; a
/// replica started after it must run the new code from its first request; the channel must refuse agents without the
/// key; and a rude edit must make dotnet-watch build afresh (the baseline the rebuild path rolls out).
/// </summary>
public sealed class HotReloadIntoProcessesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_method_body_edit_reaches_every_replica_without_a_restart_and_a_later_replica_starts_with_it()
    {
        using var workspace = new SampleApiWorkspace();
        var log = new ConcurrentQueue<string>();
        using var key = ChannelKey.CreateEphemeral();
        await using var channel = new PodUpdateChannel(new IPEndPoint(IPAddress.Loopback, 0), key, log.Enqueue);
        channel.Start();
        var baselines = new ConcurrentQueue<WatchBaseline>();
        await using var loop = new HotReloadLoop("sampleapi", workspace.ProjectFile, "linux-x64", Path.Combine(workspace.Root, ".hotreload"), channel,
            (baseline, _) => { baselines.Enqueue(baseline); return Task.FromResult($"build{baseline.Iteration}"); }, log.Enqueue);
        channel.SetBaseline("sampleapi", "build1");
        loop.Start();
        await WaitUntilAsync(() => !baselines.IsEmpty, "dotnet watch to build and start its placeholder", log);

        var executable = Path.Combine(workspace.Root, "SampleApi", "bin", "Debug", "net10.0", "linux-x64", "SampleApi");
        var applier = DeltaApplierFile.Locate(workspace.Root);
        var replicas = new List<(ChildProcess Process, Uri Address, DateTime Started)>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                replicas.Add(await StartReplicaAsync(executable, applier, channel, key, log));
            }

            await WaitUntilAsync(() => channel.Agents("sampleapi").Count == 3, "three agents connected", log);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var replica in replicas)
            {
                Assert.Equal("Hello, World!", await http.GetStringAsync(replica.Address, TestContext.Current.CancellationToken));
            }

            workspace.Edit(workspace.HelloFile, "\"Hello, World!\"", "\"Hello, Hot Reload!\"");
            foreach (var replica in replicas)
            {
                await WaitUntilAsync(async () => await http.GetStringAsync(replica.Address, TestContext.Current.CancellationToken) == "Hello, Hot Reload!", $"{replica.Address} answering the edit", log);
            }

            // Not restarted: the same processes, alive since before the edit, and dotnet-watch built only once.
            foreach (var replica in replicas)
            {
                Assert.False(Process.GetProcessById(replica.Process.Pid).HasExited);
                Assert.Equal(replica.Started, Process.GetProcessById(replica.Process.Pid).StartTime);
            }

            Assert.Single(baselines);
            // The pods answer new code the moment they applied it, a moment before the channel has gathered every answer.
            await WaitUntilAsync(() => loop.Last is not null, "the loop to record the update", log);
            Assert.Equal(3, loop.Last!.Applied);
            Assert.Equal(1, channel.Applied("sampleapi"));

            // A replica that starts after the edit is replayed the deltas before its app starts: its first answer is new.
            var late = await StartReplicaAsync(executable, applier, channel, key, log);
            replicas.Add(late);
            Assert.Equal("Hello, Hot Reload!", await http.GetStringAsync(late.Address, TestContext.Current.CancellationToken));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.Process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_channel_refuses_an_agent_without_the_key_or_with_another_key()
    {
        var log = new ConcurrentQueue<string>();
        using var key = ChannelKey.CreateEphemeral();
        using var other = ChannelKey.CreateEphemeral();
        await using var channel = new PodUpdateChannel(new IPEndPoint(IPAddress.Loopback, 0), key, log.Enqueue);
        channel.Start();
        var url = new Uri(channel.UrlFor("sampleapi", "t1"));

        using (var anonymous = new ClientWebSocket())
        {
            var refused = await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(url, TestContext.Current.CancellationToken));
            Assert.Contains("401", refused.Message + refused.InnerException?.Message);
        }

        using (var wrong = new ClientWebSocket())
        {
            wrong.Options.AddSubProtocol(ChannelKey.AgentSubProtocol(other.PublicKey));
            await Assert.ThrowsAsync<WebSocketException>(() => wrong.ConnectAsync(url, TestContext.Current.CancellationToken));
        }

        Assert.Equal(2, channel.Refused);
        Assert.Empty(channel.Agents("sampleapi"));

        // The control: the key the pods get is let in (and is then an agent once it says hello).
        using var right = new ClientWebSocket();
        right.Options.AddSubProtocol(ChannelKey.AgentSubProtocol(key.PublicKey));
        await right.ConnectAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketState.Open, right.State);
    }

    private static async Task<(ChildProcess Process, Uri Address, DateTime Started)> StartReplicaAsync(string executable, string applier, PodUpdateChannel channel, ChannelKey key, ConcurrentQueue<string> log)
    {
        var port = FreePort.Next();
        var management = FreePort.Next();
        var process = ChildProcess.Start(executable, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Probe__Port"] = management.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Probe__StateDirectory"] = Directory.CreateTempSubdirectory("devenv-hr-probe-").FullName,
            ["DOTNET_MODIFIABLE_ASSEMBLIES"] = "debug",
            ["DOTNET_STARTUP_HOOKS"] = applier,
            ["DOTNET_WATCH_HOTRELOAD_WEBSOCKET_ENDPOINT"] = channel.UrlFor("sampleapi", "build1"),
            ["DOTNET_WATCH_HOTRELOAD_WEBSOCKET_KEY"] = key.PublicKey,
            ["HOTRELOAD_DELTA_CLIENT_LOG_MESSAGES"] = "[agent]",
        });
        var started = Process.GetProcessById(process.Pid).StartTime;
        var address = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await WaitUntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(address, TestContext.Current.CancellationToken)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"replica on {address} serving\n{process.Output}", log);
        return (process, address, started);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what, ConcurrentQueue<string> log) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, log);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, ConcurrentQueue<string> log)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Timeout)
            {
                Assert.Fail($"Timed out after {Timeout.TotalMinutes:0} min waiting for {what}. Log:\n{string.Join('\n', log.TakeLast(60))}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
