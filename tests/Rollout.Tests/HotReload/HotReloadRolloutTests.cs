using System.Net.Sockets;
using System.Text;
using DevEnv.AppHost.Tests.HotReload;
using DevEnv.Hosting.HotReload;
using DevEnv.Rollout.Tests.Harness;

namespace DevEnv.Rollout.Tests.HotReload;

/// <summary>
/// Hot Reload into the product's rendered Deployment on the stand-in cluster (<see cref="HotReloadDeployment"/>): three
/// replicas run as rendered (app user, read-only root, no capabilities, the key from the Secret) behind the stand-in
/// Service, under a trickle of traffic through it.
/// </summary>
public sealed class HotReloadRolloutTests(SampleApiImage image)
{
    [Fact]
    public async Task A_save_reaches_every_replica_without_a_restart_a_late_pod_runs_it_it_is_folded_into_the_image_and_a_rude_edit_rolls_out()
    {
        var cancellation = TestContext.Current.CancellationToken;
        // Long enough for the checks between the save and the fold on a loaded machine.
        var foldAfter = TimeSpan.FromSeconds(30);
        await using var hotReload = await HotReloadDeployment.StartAsync(image, cancellation, foldAfter);
        var (cluster, channel, log, workspace) = (hotReload.Cluster, hotReload.Channel, hotReload.Log, hotReload.Workspace);
        Assert.Equal(3, channel.Agents("sampleapi").Count);
        Assert.Equal(0, channel.Refused);
        var replicas = cluster.Deployment.Current;
        var started = new Dictionary<string, string>();
        foreach (var replica in replicas)
        {
            started[replica.ContainerId] = await StartedAsync(replica);
        }

        using var trickle = new Trickle(() => cluster.ServiceUrl);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        workspace.Edit(workspace.HelloFile, "\"Hello, World!\"", "\"Hello, pods!\"");
        foreach (var replica in replicas)
        {
            await HotReloadWait.UntilAsync(async () => await HotReloadWait.TryGetStringAsync(http, Direct(replica), cancellation) == "Hello, pods!", $"{replica.Name} answering the save", log);
            Assert.Equal(started[replica.ContainerId], await StartedAsync(replica));
            Assert.Equal("0", (await image.Docker.RunAsync(["inspect", "-f", "{{.RestartCount}}", replica.ContainerId], cancellation)).Trim());
        }

        Assert.Equal(replicas.Select(r => r.ContainerId), cluster.Deployment.Current.Select(r => r.ContainerId));
        Assert.Single(hotReload.Deployed);

        // A pod that starts after the save (a scale-up, a rescheduled pod) runs the saved code from its first answer.
        var late = await cluster.Kubelet.StartAsync(cluster.Deployment.Template, generation: 1, cancellation);
        await cluster.Kubelet.WaitReadyAsync(late, cancellation);
        Assert.Equal("Hello, pods!", await HotReloadWait.TryGetStringAsync(http, Direct(late), cancellation));

        // The Service reaches the app's port only: an agent's upgrade request with the right key gets no channel through it.
        var tag = hotReload.Deployed[^1][(hotReload.Deployed[^1].LastIndexOf(':') + 1)..];
        Assert.DoesNotContain(" 101 ", await UpgradeThroughAsync(cluster.ServiceUrl, $"/sampleapi/{tag}", ChannelKey.AgentSubProtocol(hotReload.Key.PublicKey), cancellation), StringComparison.Ordinal);
        Assert.Equal(4, channel.Agents("sampleapi").Count);

        // A while after the last save it is folded into the image: dotnet-watch builds afresh, that build rolls out, and its
        // pods answer the save with nothing replayed (a pod restarted while the AppHost is gone runs it too).
        await HotReloadWait.UntilAsync(() => hotReload.Deployed.Count == 2, "the save folded into a new image", log);
        await HotReloadWait.UntilAsync(() => channel.Applied("sampleapi") == 0, "the channel to take the folded image as current", log);
        foreach (var replica in cluster.Deployment.Current)
        {
            Assert.Equal(hotReload.Deployed[^1], replica.Spec.Image);
            Assert.Equal("Hello, pods!", await HotReloadWait.TryGetStringAsync(http, Direct(replica), cancellation));
        }

        // A rude edit (a constant is compiled into its callers) in the same save as a text change: dotnet-watch builds
        // afresh, that build's image rolls out (every replica surging at once, as rendered for the inner loop), and the new
        // pods answer with the saved text.
        var endpoints = Path.Combine(workspace.Root, "SampleApi", "SampleEndpoints.cs");
        await File.WriteAllTextAsync(endpoints, (await File.ReadAllTextAsync(endpoints, cancellation))
            .Replace("MaxWorkMs = 60_000", "MaxWorkMs = 61_000", StringComparison.Ordinal)
            .Replace("\"Hello, pods!\"", "\"Hello, rebuilt!\"", StringComparison.Ordinal), cancellation);
        await HotReloadWait.UntilAsync(() => hotReload.Deployed.Count == 3, "the rude edit's build rolled out", log);
        Assert.All(cluster.Deployment.Current, r => Assert.Equal(hotReload.Deployed[^1], r.Spec.Image));
        Assert.Equal(cluster.Deployment.Template.Replicas, cluster.Deployment.Template.MaxSurge);
        foreach (var replica in cluster.Deployment.Current)
        {
            Assert.Equal("Hello, rebuilt!", await HotReloadWait.TryGetStringAsync(http, Direct(replica), cancellation));
        }

        var (total, failed) = trickle.Snapshot();
        TestContext.Current.TestOutputHelper?.WriteLine($"{total} requests through the Service, {failed} failed\n{cluster.Describe()}\n{string.Join('\n', log)}");
        Assert.True(total > 20, $"only {total} requests went through the Service");
        Assert.Equal(0, failed);

        async Task<string> StartedAsync(Replica replica) =>
            (await image.Docker.RunAsync(["inspect", "-f", "{{.State.StartedAt}}", replica.ContainerId], cancellation)).Trim();
    }

    private static Uri Direct(Replica replica) => new($"http://127.0.0.1:{replica.HostPort}/");

    // A WebSocket upgrade as the SDK's agent sends it, but to the Service: the status line it gets back.
    private static async Task<string> UpgradeThroughAsync(Uri service, string path, string subProtocol, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(service.Host, service.Port, cancellationToken);
        var stream = client.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: {service.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {subProtocol}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await reader.ReadLineAsync(timeout.Token) ?? "(closed)";
    }
}
