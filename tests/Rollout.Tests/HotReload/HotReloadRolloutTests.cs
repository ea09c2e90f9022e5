using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DevEnv.AppHost.Tests.HotReload;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Image.Pipeline;
using DevEnv.Rollout.Tests.Harness;

namespace DevEnv.Rollout.Tests.HotReload;

/// <summary>
/// Hot Reload into the product's rendered Deployment on the stand-in cluster: dotnet-watch builds a copy of SampleApi,
/// the product's pipeline makes the image of that build with the SDK's agent (<see cref="ImageBuildOptions.HotReload"/>),
/// the product's <c>DeploymentResource</c> renders it with the pods' Hot Reload variables (the key through the workload's
/// Secret), and the stand-in kubelet runs three replicas as rendered (app user, read-only root, no capabilities) behind
/// the stand-in Service, under a trickle of traffic through it. This test plays the AppHost's part of
/// <see cref="DeploymentHotReload"/>: it rolls out each of dotnet-watch's builds.
/// </summary>
public sealed class HotReloadRolloutTests(SampleApiImage image)
{
    [Fact]
    public async Task A_save_reaches_every_replica_without_a_restart_a_late_pod_runs_it_and_a_rude_edit_rolls_out_a_new_image()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var openSslBase = await image.SeedBaseAsync(Environment.GetEnvironmentVariable("DEVENV_FIXTURE_OPENSSL_BASE_IMAGE") is { Length: > 0 } b ? b : "devenv-fixture/runtime-deps:10.0-openssl", "10.0-openssl", cancellation);
        // The channel listens where the containers reach this host and nothing else does: the bridge network's gateway.
        var gateway = IPAddress.Parse((await image.Docker.RunAsync(["network", "inspect", "bridge", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}"], cancellation)).Trim());
        using var workspace = new SampleApiWorkspace();
        var log = new ConcurrentQueue<string>();
        using var key = ChannelKey.CreateEphemeral();
        await using var channel = new PodUpdateChannel(new IPEndPoint(gateway, 0), key, log.Enqueue);
        channel.Start();
        var environment = new PodHotReloadEnvironment(channel, key);
        var builder = new LayeredImageBuilder(image.Runner, image.Registry, workspace.ProjectFile, ImageBuildOptions.HotReload("linux-x64"));
        StandInCluster? cluster = null;
        var deployed = new ConcurrentQueue<string>();

        async Task<string> DeployBuildAsync(WatchBaseline baseline, CancellationToken token)
        {
            var built = await builder.BuildAsync(openSslBase, "sampleapi", ResourceLog.None, () => { }, token);
            var reference = $"{image.RegistryAddress}/sampleapi:{built.Tag}";
            image.Track(reference);
            environment.AddAgentImage(built.Tag);
            var options = RenderedDeployment.For(reference, image.Settings, environment).ToOptions();
            if (cluster is null)
            {
                cluster = await StandInCluster.StartAsync(image, options, token);
            }
            else
            {
                await cluster.Deployment.RollingUpdateAsync(options, token);
            }

            log.Enqueue($"deployed dotnet watch's build {baseline.Iteration} as {reference}");
            deployed.Enqueue(reference);
            return built.Tag;
        }

        await using var loop = new HotReloadLoop("sampleapi", workspace.ProjectFile, "linux-x64", Path.Combine(workspace.Root, ".hotreload"), channel, DeployBuildAsync, log.Enqueue);
        try
        {
            loop.Start();
            await HotReloadWait.UntilAsync(() => deployed.Count == 1, "dotnet watch's first build deployed", log);
            var first = cluster!;
            await HotReloadWait.UntilAsync(() => channel.Agents("sampleapi").Count == 3, "three agents connected", log);
            Assert.Equal(0, channel.Refused);
            var replicas = first.Deployment.Current;
            var started = new Dictionary<string, string>();
            foreach (var replica in replicas)
            {
                started[replica.ContainerId] = await StartedAsync(replica);
            }

            using var trickle = new Trickle(() => first.ServiceUrl);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            workspace.Edit(workspace.HelloFile, "\"Hello, World!\"", "\"Hello, pods!\"");
            foreach (var replica in replicas)
            {
                await HotReloadWait.UntilAsync(async () => await HotReloadWait.TryGetStringAsync(http, Direct(replica), cancellation) == "Hello, pods!", $"{replica.Name} answering the save", log);
                Assert.Equal(started[replica.ContainerId], await StartedAsync(replica));
                Assert.Equal("0", (await image.Docker.RunAsync(["inspect", "-f", "{{.RestartCount}}", replica.ContainerId], cancellation)).Trim());
            }

            Assert.Equal(replicas.Select(r => r.ContainerId), first.Deployment.Current.Select(r => r.ContainerId));
            Assert.Single(deployed);

            // A pod that starts after the save (a scale-up, a rescheduled pod) runs the saved code from its first answer.
            var late = await first.Kubelet.StartAsync(first.Deployment.Template, generation: 1, cancellation);
            await first.Kubelet.WaitReadyAsync(late, cancellation);
            Assert.Equal("Hello, pods!", await HotReloadWait.TryGetStringAsync(http, Direct(late), cancellation));

            // The Service reaches the app's port only: an agent's upgrade request with the right key gets no channel through it.
            Assert.DoesNotContain(" 101 ", await UpgradeThroughAsync(first.ServiceUrl, $"/sampleapi/{deployed.Last()[(deployed.Last().LastIndexOf(':') + 1)..]}", ChannelKey.AgentSubProtocol(key.PublicKey), cancellation), StringComparison.Ordinal);
            Assert.Equal(4, channel.Agents("sampleapi").Count);

            // A rude edit (a constant is compiled into its callers) in the same save as a text change: dotnet-watch builds
            // afresh, that build's image rolls out, and the new pods answer with the saved text.
            var endpoints = Path.Combine(workspace.Root, "SampleApi", "SampleEndpoints.cs");
            await File.WriteAllTextAsync(endpoints, (await File.ReadAllTextAsync(endpoints, cancellation))
                .Replace("MaxWorkMs = 60_000", "MaxWorkMs = 61_000", StringComparison.Ordinal)
                .Replace("\"Hello, pods!\"", "\"Hello, rebuilt!\"", StringComparison.Ordinal), cancellation);
            await HotReloadWait.UntilAsync(() => deployed.Count == 2, "the rude edit's build rolled out", log);
            Assert.All(first.Deployment.Current, r => Assert.Equal(deployed.Last(), r.Spec.Image));
            foreach (var replica in first.Deployment.Current)
            {
                Assert.Equal("Hello, rebuilt!", await HotReloadWait.TryGetStringAsync(http, Direct(replica), cancellation));
            }

            var (total, failed) = trickle.Snapshot();
            TestContext.Current.TestOutputHelper?.WriteLine($"{total} requests through the Service, {failed} failed\n{first.Describe()}\n{string.Join('\n', log)}");
            Assert.True(total > 20, $"only {total} requests went through the Service");
            Assert.Equal(0, failed);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }

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
