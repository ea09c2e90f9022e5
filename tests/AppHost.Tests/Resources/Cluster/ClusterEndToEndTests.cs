using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <summary>
/// up → the app answers on the NodePort → the nodes stop (a reboot) → up reuses the same cluster → the registry is on
/// kind's network and a worker pulls from it → change the app → up → the new version answers → verify-rollout fails no
/// request → a tag that does not exist fails the rollout with the product's ImagePullBackOff/ErrImagePull line → an app
/// that allocates past the rendered memory limit fails `up` with the product's OOMKilled line → down --purge.
/// Needs kind, Docker and the kind node image; where those are missing (our CI machines cannot obtain the node
/// image) it skips and says which.
/// </summary>
public sealed class ClusterEndToEndTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_serves_on_the_node_port_rolls_out_a_change_and_down_removes_everything()
    {
        var nodeImage = new EnvironmentSettings().NodeImage;
        if (await KindAvailability.WhyUnavailableAsync(nodeImage, Ct) is { } reason)
        {
            Assert.Skip(reason);
        }

        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        var state = Directory.CreateTempSubdirectory("devenv-e2e-state-").FullName;
        var source = Directory.CreateTempSubdirectory("devenv-e2e-src-").FullName;
        var nodePort = FreeNodePort();
        var environment = new Dictionary<string, string?>
        {
            ["DEVENV_NAME"] = name,
            ["DEVENV_STATE_DIR"] = state,
            ["DEVENV_SOURCE_ROOT"] = source,
            ["DEVENV_REGISTRY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEVENV_NODE_PORT"] = nodePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEVENV_DASHBOARD_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEVENV_WORKERS"] = "1",
            ["DEVENV_REPLICAS"] = "2",
        };
        var logs = new TestLogs();
        var runner = new ProcessRunner();
        await using var docker = new DockerTestEnvironment(name);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = $"http://localhost:{nodePort}/";
        try
        {
            CopySources(EnvironmentSettings.FindSourceRoot(), source);
            var program = Path.Combine(source, "SampleApi", "Program.cs");

            var first = await UpUntilAsync(runner, environment, logs, http, url, body => body.Length > 0);
            Assert.DoesNotContain(name, first);

            // A reboot: the node containers stop. The next up starts them, waits for the API server (seconds after its
            // container) and reuses the same cluster rather than declaring it broken.
            var controlPlane = (await docker.Engine.Containers.InspectContainerAsync($"{name}-control-plane", Ct)).ID;
            foreach (var node in new[] { $"{name}-control-plane", $"{name}-worker" })
            {
                await docker.Engine.Containers.StopContainerAsync(node, new Docker.DotNet.Models.ContainerStopParameters { WaitBeforeKillSeconds = 30 }, Ct);
            }

            await UpUntilAsync(runner, environment, logs, http, url, body => body.Length > 0);
            Assert.Equal(controlPlane, (await docker.Engine.Containers.InspectContainerAsync($"{name}-control-plane", Ct)).ID);

            // kind made the network; the registry joined it; a worker pulls the deployed image by the address pods use.
            var members = await runner.RunCheckedAsync(new ProcessSpec("docker", ["network", "inspect", "kind", "-f", "{{range .Containers}}{{.Name}} {{end}}"]),
                ResourceLog.None, Ct);
            Assert.Contains($"{name}-registry", members.Output);
            var image = await runner.RunCheckedAsync(new ProcessSpec("kubectl", ["--kubeconfig", Path.Combine(state, "kubeconfig"), "--context", $"kind-{name}",
                "get", "deployment", "sampleapi", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]), ResourceLog.None, Ct);
            Assert.StartsWith($"localhost:{environment["DEVENV_REGISTRY_PORT"]}/", image.Output);
            await runner.RunCheckedAsync(new ProcessSpec("docker", ["exec", $"{name}-worker", "crictl", "pull", image.Output.Trim()]), logs.For("crictl"), Ct);

            // The root endpoint's text moved out of Program.cs (SampleEndpoints.cs); find it wherever it is.
            var hello = Directory.EnumerateFiles(Path.Combine(source, "SampleApi"), "*.cs", SearchOption.AllDirectories)
                .FirstOrDefault(f => File.ReadAllText(f).Contains("Hello, World!", StringComparison.Ordinal));
            Assert.True(hello is not null, "SampleApi no longer answers 'Hello, World!'; update this test's change");
            var text = await File.ReadAllTextAsync(hello, Ct);
            await File.WriteAllTextAsync(hello, text.Replace("Hello, World!", $"Hello, {name}!", StringComparison.Ordinal), Ct);

            var second = await UpUntilAsync(runner, environment, logs, http, url, body => body.Contains(name, StringComparison.Ordinal));
            Assert.Contains($"Hello, {name}!", second);

            // verify-rollout: the product's own check, a restart of the rollout under constant load, fails no request.
            var verify = await runner.RunAsync(AppHost(["verify-rollout"], environment), logs.For("verify-rollout"), Ct);
            Assert.True(verify.ExitCode == 0, "verify-rollout failed:\n" + verify.Output + "\n" + verify.Error);
            Assert.Matches(@"Rollout verified: 0 of [1-9][0-9]* requests failed\.", verify.Output);

            // A tag the registry does not have: the product's Deployment resource applies it, the rollout fails, and the
            // explanation is the pod's one line with the kubelet's reason (ErrImagePull, then ImagePullBackOff) and the image.
            var settings = EnvironmentSettings.FromEnvironment(environment.GetValueOrDefault);
            var missingImage = $"{settings.RegistryHostAddress}/{settings.ImageRepository}:src-000000000000";
            var missing = new DeploymentResource(DeploymentResource.SampleApiName, settings, new KubernetesClient(settings.KubeconfigPath, settings.KubeContext),
                () => missingImage, () => "missing-tag") { RolloutTimeout = TimeSpan.FromMinutes(4) };
            var context = new TestNotifications().Context(missing.Name, logs);
            var pullFailure = await Assert.ThrowsAsync<InvalidOperationException>(() => missing.StartAsync(context, Ct));
            Assert.IsType<RolloutFailedException>(pullFailure.InnerException);
            Assert.Matches(new Regex(@"^Pod \S+: phase Pending, ready False, restarts 0, (ErrImagePull|ImagePullBackOff) \(.*src-000000000000.*\)", RegexOptions.Multiline), pullFailure.Message);
            Assert.Equal(ResourceStates.Failed, context.Current.State);

            // An app that allocates past the memory limit the product renders: up fails, and the pod's line says OOMKilled
            // (which would otherwise read as CrashLoopBackOff). Native memory, so the GC's heap limit cannot turn it into
            // an OutOfMemoryException first.
            text = await File.ReadAllTextAsync(program, Ct);
            Assert.True(text.Contains("var builder = ", StringComparison.Ordinal), "SampleApi's Program.cs changed shape; update this test's allocation");
            await File.WriteAllTextAsync(program, text.Replace("var builder = ", """
                var hog = new List<IntPtr>();
                for (var i = 0; i < 64; i++)
                {
                    var block = System.Runtime.InteropServices.Marshal.AllocHGlobal(16 << 20);
                    for (var offset = 0; offset < 16 << 20; offset += 4096) System.Runtime.InteropServices.Marshal.WriteByte(block, offset, 1);
                    hog.Add(block);
                }

                var builder = 
                """, StringComparison.Ordinal), Ct);
            var oom = await runner.RunAsync(AppHost(["up", "--detach"], environment), logs.For("up-oom"), Ct);
            Assert.True(oom.ExitCode != 0, "up succeeded with an app that allocates 1 GiB past its memory limit:\n" + oom.Output);
            Assert.Matches(new Regex(@"^Pod \S+: phase Running, ready False, restarts [1-9][0-9]*(, [^;\n]*)?; last ended: OOMKilled, exit code 137", RegexOptions.Multiline),
                oom.Output + "\n" + oom.Error);

            var down = await runner.RunAsync(AppHost(["down", "--purge"], environment), logs.For("down"), Ct);
            Assert.True(down.ExitCode == 0, "down failed:\n" + down.Error);
            var clusters = await runner.RunCheckedAsync(new ProcessSpec("kind", ["get", "clusters"]), ResourceLog.None, Ct);
            Assert.DoesNotContain(name, clusters.StandardOutput);
            Assert.Empty(await docker.LabelledContainersAsync(Ct));
        }
        finally
        {
            // Also when the test failed halfway: the cluster by its name; the rest by label when `docker` is disposed.
            await runner.RunAsync(new ProcessSpec("kind", ["delete", "cluster", "--name", name, "--kubeconfig", Path.Combine(state, "kubeconfig")]),
                ResourceLog.None, CancellationToken.None);
            Directory.Delete(state, recursive: true);
            Directory.Delete(source, recursive: true);
        }
    }

    private static async Task<string> UpUntilAsync(ProcessRunner runner, Dictionary<string, string?> environment, TestLogs logs,
        HttpClient http, string url, Func<string, bool> served)
    {
        // `up` may keep running (dashboard, watch): run it in the background, stop it once the app answers;
        // the cluster and deployment stay for the next step, as after Ctrl+C.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var up = runner.RunAsync(AppHost(["up"], environment), logs.For("up"), stop.Token);
        var deadline = DateTimeOffset.UtcNow + UpTimeout;
        try
        {
            while (DateTimeOffset.UtcNow < deadline)
            {
                if (up.IsCompleted && (await up).ExitCode != 0)
                {
                    Assert.Fail("up failed:\n" + string.Join('\n', logs.GetBacklog("up").TakeLast(40).Select(l => l.Text)));
                }

                try
                {
                    var body = await http.GetStringAsync(url, Ct);
                    if (served(body))
                    {
                        return body;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not serving yet.
                }

                await Task.Delay(TimeSpan.FromSeconds(2), Ct);
            }

            Assert.Fail($"{url} did not serve the expected version within {UpTimeout}:\n" +
                        string.Join('\n', logs.GetBacklog("up").TakeLast(40).Select(l => l.Text)));
            return "";
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await up;
            }
            catch (OperationCanceledException)
            {
                // Stopped on purpose.
            }
        }
    }

    private static ProcessSpec AppHost(IReadOnlyList<string> verb, Dictionary<string, string?> environment) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "DevEnv.AppHost.dll"), .. verb]) { Environment = environment };

    private static void CopySources(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var leaf = Path.GetFileName(directory);
            if (leaf is "bin" or "obj" or ".git" or "node_modules" or "TestResults")
            {
                continue;
            }

            var target = Path.Combine(to, leaf);
            Directory.CreateDirectory(target);
            CopySources(directory, target);
        }

        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    // NodePorts must be in 30000-32767 and the same port is bound on the host.
    internal static int FreeNodePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = Random.Shared.Next(30100, 32700);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; try another.
            }
        }

        throw new InvalidOperationException("no free port in the NodePort range");
    }
}
