using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Resources.Telemetry;
using DevEnv.Hosting.Model;

namespace DevEnv.AppHost.Tests.HotReload;

/// <summary>
/// Hot Reload into real containers on the real Docker Engine, run as a pod runs: the fixture runtime-deps base, the
/// app user (1654), a read-only root, all capabilities dropped, no new privileges, /tmp a tmpfs, the app's port
/// published on 127.0.0.1 only. The replicas dial the channel on the bridge network's gateway, the address only the
/// host and its containers reach; the edit must change every container's answer without restarting it.
/// </summary>
public sealed class HotReloadIntoContainersTests
{
    // The fixture base with OpenSSL, as the real runtime-deps has it: the SDK's agent encrypts the channel key with RSA
    // through OpenSSL (scripts/fixtures/build-images.sh builds it).
    private static readonly string OpenSslBase = Environment.GetEnvironmentVariable("DEVENV_FIXTURE_OPENSSL_BASE_IMAGE") is { Length: > 0 } image
        ? image : "devenv-fixture/runtime-deps:10.0-openssl";

    [Fact]
    public async Task A_method_body_edit_reaches_every_container_without_a_restart()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var runner = new ProcessRunner();
        // The host's address on the default bridge, read as the product reads the kind network's.
        using var docker = new Docker.DotNet.DockerClientBuilder().WithEndpoint(DockerEndpointResolver.Resolve().Uri).Build();
        var gateway = await KindNetworkGateway.FindAsync(docker, "bridge", cancellation) ?? throw new InvalidOperationException("the default bridge has no IPv4 gateway");
        using var workspace = new SampleApiWorkspace();
        var log = new ConcurrentQueue<string>();
        using var key = ChannelKey.CreateEphemeral();
        await using var channel = new PodUpdateChannel(new IPEndPoint(gateway, 0), key, log.Enqueue);
        channel.Start();
        channel.SetBaseline("sampleapi", "build1");
        var built = new TaskCompletionSource();
        await using var loop = new HotReloadLoop("sampleapi", workspace.ProjectFile, "linux-x64", Path.Combine(workspace.Root, ".hotreload"), channel,
            (_, _) => { built.TrySetResult(); return Task.FromResult("build1"); }, log.Enqueue);
        loop.Start();
        await built.Task.WaitAsync(HotReloadWait.Timeout, cancellation);

        // The app user reads the build and the agent through read-only mounts (a temporary folder is owner-only).
        var bin = Path.Combine(workspace.Root, "SampleApi", "bin", "Debug", "net10.0", "linux-x64");
        var agentFolder = Directory.CreateTempSubdirectory("devenv-hr-agent-").FullName;
        File.Copy(DeltaApplierFile.Locate(workspace.Root), Path.Combine(agentFolder, DeltaApplierFile.FileName));
        foreach (var folder in new[] { workspace.Root, agentFolder })
        {
            await runner.RunCheckedAsync(new ProcessSpec("chmod", ["-R", "a+rX", folder]), ResourceLog.None, cancellation);
        }

        var label = $"dev.devenv.environment=t{Guid.NewGuid().ToString("N")[..8]}";
        var containers = new List<(string Id, Uri Address, string Started)>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var id = (await Docker(runner,
                [
                    "run", "-d", "--label", label, "--user", "1654:1654", "--read-only", "--tmpfs", "/tmp:size=16m",
                    "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "-p", "127.0.0.1::8080",
                    "-v", $"{bin}:/app:ro", "-v", $"{agentFolder}:/devenv-hotreload:ro",
                    "-e", "ASPNETCORE_URLS=http://+:8080", "-e", "Probe__Port=8081",
                    "-e", "DOTNET_MODIFIABLE_ASSEMBLIES=debug",
                    "-e", $"DOTNET_STARTUP_HOOKS=/devenv-hotreload/{DeltaApplierFile.FileName}",
                    "-e", $"DOTNET_WATCH_HOTRELOAD_WEBSOCKET_ENDPOINT={channel.UrlFor("sampleapi", "build1")}",
                    "-e", $"DOTNET_WATCH_HOTRELOAD_WEBSOCKET_KEY={key.PublicKey}",
                    OpenSslBase, "/app/SampleApi",
                ], cancellation)).Trim();
                var port = (await Docker(runner, ["port", id, "8080/tcp"], cancellation)).Split('\n')[0].Trim();
                var started = (await Docker(runner, ["inspect", "-f", "{{.State.StartedAt}}", id], cancellation)).Trim();
                containers.Add((id, new Uri($"http://127.0.0.1:{port[(port.LastIndexOf(':') + 1)..]}/"), started));
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var container in containers)
            {
                await HotReloadWait.UntilAsync(async () => await HotReloadWait.TryGetStringAsync(http, container.Address, cancellation) == "Hello, World!", $"{container.Id[..12]} serving", log);
            }

            await HotReloadWait.UntilAsync(() => channel.Agents("sampleapi").Count == 3, "three agents connected", log);
            // A save before dotnet-watch watches would make the loop build afresh (its own test): this one is a delta.
            await HotReloadWait.UntilAsync(() => loop.Watching, "dotnet watch to watch the sources", log);
            workspace.Edit(workspace.HelloFile, "\"Hello, World!\"", "\"Hello, containers!\"");
            foreach (var container in containers)
            {
                await HotReloadWait.UntilAsync(async () => await HotReloadWait.TryGetStringAsync(http, container.Address, cancellation) == "Hello, containers!", $"{container.Id[..12]} answering the edit", log);
                Assert.Equal(container.Started, (await Docker(runner, ["inspect", "-f", "{{.State.StartedAt}}", container.Id], cancellation)).Trim());
                Assert.Equal("0", (await Docker(runner, ["inspect", "-f", "{{.RestartCount}}", container.Id], cancellation)).Trim());
            }
        }
        finally
        {
            foreach (var container in containers)
            {
                await runner.RunAsync(new ProcessSpec("docker", ["rm", "-f", container.Id]), ResourceLog.None, CancellationToken.None);
            }

            Directory.Delete(agentFolder, recursive: true);
        }
    }

    private static async Task<string> Docker(ProcessRunner runner, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        (await runner.RunCheckedAsync(new ProcessSpec("docker", args), ResourceLog.None, cancellationToken)).Output;
}
