using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using DevEnv.AppHost.Tests.Resources.Image;
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
        await HotReloadWait.UntilAsync(() => !baselines.IsEmpty, "dotnet watch to build and start its placeholder", log);

        var bin = Path.Combine(workspace.Root, "SampleApi", "bin", "Debug", "net10.0", "linux-x64");
        await using var replicas = new ReplicaSet(DeltaApplierFile.Locate(workspace.Root), channel, key, "sampleapi", "build1") { Executable = Path.Combine(bin, "SampleApi") };
        var cancellation = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            await replicas.AddAsync(cancellation);
        }

        await HotReloadWait.UntilAsync(() => channel.Agents("sampleapi").Count == 3, "three agents connected", log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var replica in replicas.InRotation)
        {
            Assert.Equal("Hello, World!", await http.GetStringAsync(replica.Address, cancellation));
        }

        // A save before dotnet-watch watches would make the loop build afresh (its own test): this one is a delta.
        await HotReloadWait.UntilAsync(() => loop.Watching, "dotnet watch to watch the sources", log);
        var helloFile = workspace.HelloFile;
        workspace.Edit(helloFile, "\"Hello, World!\"", "\"Hello, Hot Reload!\"");
        foreach (var replica in replicas.InRotation)
        {
            await HotReloadWait.UntilAsync(async () => await http.GetStringAsync(replica.Address, cancellation) == "Hello, Hot Reload!", $"{replica.Address} answering the edit", log);
        }

        // Not restarted: the same processes, alive since before the edit, and dotnet-watch built only once.
        foreach (var replica in replicas.InRotation)
        {
            Assert.False(Process.GetProcessById(replica.Process.Pid).HasExited);
            Assert.Equal(replica.Started, Process.GetProcessById(replica.Process.Pid).StartTime);
        }

        Assert.Single(baselines);
        // The pods answer new code the moment they applied it, a moment before the channel has gathered every answer.
        await HotReloadWait.UntilAsync(() => loop.Last is not null, "the loop to record the update", log);
        Assert.Equal(3, loop.Last!.Applied);
        Assert.Equal(1, channel.Applied("sampleapi"));

        // A replica that starts after the edit is replayed the deltas before its app starts: its first answer is new.
        var late = await replicas.AddAsync(cancellation);
        Assert.Equal("Hello, Hot Reload!", await http.GetStringAsync(late.Address, cancellation));

        // A rude edit (a constant's value is compiled into its callers): no deltas; dotnet-watch builds afresh by
        // itself and hands over a second baseline, which is what the rebuild path makes an image of and rolls out.
        workspace.Edit(Path.Combine(workspace.Root, "SampleApi", "SampleEndpoints.cs"), "MaxWorkMs = 60_000", "MaxWorkMs = 61_000");
        await HotReloadWait.UntilAsync(() => baselines.Count == 2, "dotnet watch to rebuild after the rude edit", log);
        Assert.Equal(2, baselines.Last().Iteration);
        // Once build2 runs, the update made against build1 is no longer replayed: the new image has it built in.
        await HotReloadWait.UntilAsync(() => channel.Applied("sampleapi") == 0, "the channel to take build2 as the current image", log);
    }

    [Fact]
    public async Task A_save_while_dotnet_watch_loads_its_projects_is_built_afresh_not_lost()
    {
        using var workspace = new SampleApiWorkspace();
        var log = new ConcurrentQueue<string>();
        using var key = ChannelKey.CreateEphemeral();
        await using var channel = new PodUpdateChannel(new IPEndPoint(IPAddress.Loopback, 0), key, log.Enqueue);
        channel.Start();
        var baselines = new ConcurrentQueue<WatchBaseline>();
        await using var loop = new HotReloadLoop("sampleapi", workspace.ProjectFile, "linux-x64", Path.Combine(workspace.Root, ".hotreload"), channel,
            (baseline, _) => { baselines.Enqueue(baseline); return Task.FromResult($"build{baseline.Iteration}"); }, log.Enqueue);
        loop.Start();
        await HotReloadWait.UntilAsync(() => !baselines.IsEmpty, "dotnet watch to build", log);

        // The image of the first build starts at once, while dotnet-watch loads its projects for a second or two and
        // sees no save: one now is read as its baseline, so only a new build carries it.
        Assert.False(loop.Watching);
        workspace.Edit(workspace.HelloFile, "\"Hello, World!\"", "\"Hello, early save!\"");
        await HotReloadWait.UntilAsync(() => baselines.Count == 2, "dotnet watch to build afresh with the early save", log);
        Assert.Contains(log, line => line.Contains("a save landed while dotnet watch was still loading its projects", StringComparison.Ordinal));

        // What the second build rolls out answers the save.
        await HotReloadWait.UntilAsync(() => loop.Watching, "dotnet watch to watch the sources", log);
        channel.SetBaseline("sampleapi", "build2");
        var bin = Path.Combine(workspace.Root, "SampleApi", "bin", "Debug", "net10.0", "linux-x64");
        await using var replicas = new ReplicaSet(DeltaApplierFile.Locate(workspace.Root), channel, key, "sampleapi", "build2") { Executable = Path.Combine(bin, "SampleApi") };
        var cancellation = TestContext.Current.CancellationToken;
        var replica = await replicas.AddAsync(cancellation);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("Hello, early save!", await http.GetStringAsync(replica.Address, cancellation));
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
}
