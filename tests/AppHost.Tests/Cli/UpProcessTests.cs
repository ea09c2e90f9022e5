using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Image;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>
/// The AppHost as a user runs it: a real process doing <c>up</c> (real registry container, real image publish, the
/// dashboard, the watcher), then the signal Ctrl+C sends, then <c>down --purge</c>. The cluster is given a node image
/// that cannot exist, so it fails the same way everywhere and the test needs no kind cluster.
/// </summary>
public sealed class UpProcessTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ctrl_C_stops_the_watcher_and_the_dashboard_and_leaves_the_environment_running()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var docker = new DockerTestEnvironment(name);
        using var workspace = new SampleApiWorkspace();
        var source = workspace.Root;
        var state = Directory.CreateTempSubdirectory("devenv-up-state-").FullName;
        var registryPort = DockerTestEnvironment.FreePort();
        var dashboardPort = DockerTestEnvironment.FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["DEVENV_NAME"] = name,
            ["DEVENV_SOURCE_ROOT"] = source,
            ["DEVENV_STATE_DIR"] = state,
            ["DEVENV_REGISTRY_PORT"] = registryPort.ToString(CultureInfo.InvariantCulture),
            ["DEVENV_DASHBOARD_PORT"] = dashboardPort.ToString(CultureInfo.InvariantCulture),
            ["DEVENV_NODE_PORT"] = DockerTestEnvironment.FreePort().ToString(CultureInfo.InvariantCulture),
            ["DEVENV_REGISTRY_IMAGE"] = DockerTestEnvironment.RegistryImage,
            ["DEVENV_BASE_IMAGE"] = DockerTestEnvironment.FixtureBaseImage,
            // The untrimmed mode publishes in seconds; what is under test here is the process, not the trimmer.
            ["DEVENV_IMAGE_MODE"] = "fast",
            ["DEVENV_NODE_IMAGE"] = "devenv-test/no-such-node:v0",
        };
        var output = new ConcurrentQueue<string>();
        Process? up = null;
        try
        {
            var watching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var rebuilt = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            string? firstImage = null;
            up = StartAppHost([], environment, line =>
            {
                output.Enqueue(line);
                if (line.Contains("sampleapi-image: Running", StringComparison.Ordinal))
                {
                    if (firstImage is null)
                    {
                        firstImage = line;
                        watching.TrySetResult();
                    }
                    else if (line != firstImage)
                    {
                        rebuilt.TrySetResult(line);
                    }
                }
            });
            await Task.WhenAny(watching.Task, up.WaitForExitAsync(Ct), Task.Delay(UpTimeout, Ct));
            Assert.True(watching.Task.IsCompleted, $"up did not publish the image within {UpTimeout}:\n{Tail(output)}");

            var all = string.Join('\n', output);
            Assert.Contains("Watching SampleApi, ServiceDefaults for changes", all);
            await WaitForLineAsync(output, "cluster: Failed - node image devenv-test/no-such-node:v0 cannot be obtained", up);
            var login = output.Select(l => l.Trim()).Last(l => l.StartsWith("Login to the dashboard at ", StringComparison.Ordinal))["Login to the dashboard at ".Length..];
            Assert.StartsWith($"http://127.0.0.1:{dashboardPort}/login?t=", login);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                var page = await http.GetAsync(new Uri(login), Ct);
                Assert.True(page.IsSuccessStatusCode, $"the dashboard answered {(int)page.StatusCode} to its login URL");
            }

            // A save under the running AppHost: the watcher rebuilds and pushes a new image (the deployment waits for its cluster).
            workspace.Edit(workspace.HelloFile, "\"Hello, World!\"", "\"Hello, watcher!\"");
            await Task.WhenAny(rebuilt.Task, up.WaitForExitAsync(Ct), Task.Delay(UpTimeout, Ct));
            Assert.True(rebuilt.Task.IsCompleted, $"the edit did not produce a new image within {UpTimeout}:\n{Tail(output)}");
            Assert.Contains("pushed", await rebuilt.Task, StringComparison.Ordinal);
            Assert.NotEqual(firstImage, await rebuilt.Task);

            var signal = await SendCtrlCAsync(up);
            await up.WaitForExitAsync(Ct).WaitAsync(ExitTimeout, Ct);
            Assert.True(up.ExitCode == 0, $"up exited {up.ExitCode} after {signal}:\n{Tail(output)}");
            Assert.Contains("The watcher and the dashboard stopped; the environment keeps running ('down' removes it).", output);

            // The dashboard is gone; the registry and what was pushed to it stay for the next `up`.
            await Assert.ThrowsAnyAsync<SocketException>(async () =>
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", dashboardPort, Ct);
            });
            var containers = await docker.Docker.Containers.ListByLabelAsync(docker.LabelFilter, Ct);
            Assert.Contains(containers, c => c.Names.Contains($"/{name}-registry") && c.State == "running");
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                Assert.Contains("\"sampleapi\"", await http.GetStringAsync($"http://127.0.0.1:{registryPort}/v2/_catalog", Ct));
            }

            var down = await new ProcessRunner().RunAsync(AppHostSpec(["down", "--purge"], environment), ResourceLog.None, Ct);
            Assert.True(down.ExitCode == 0, $"down failed:\n{down.Output}\n{down.Error}");
            Assert.Empty(await docker.Docker.Containers.ListByLabelAsync(docker.LabelFilter, Ct));
            Assert.Empty(await docker.Docker.Volumes.ListByLabelAsync(docker.LabelFilter, Ct));
        }
        finally
        {
            if (up is { HasExited: false })
            {
                up.Kill(entireProcessTree: true);
            }

            up?.Dispose();
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>
    /// Sends SIGINT, what Ctrl+C in a terminal sends. A process started in the background of a non-interactive shell
    /// inherits SIGINT as ignored (POSIX), and the runtime keeps it so; there, SIGTERM takes the same path in the CLI.
    /// </summary>
    private static async Task<string> SendCtrlCAsync(Process process)
    {
        var ignored = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(ignored["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var signal = (mask & (1UL << (2 - 1))) == 0 ? "INT" : "TERM";
        await new ProcessRunner().RunCheckedAsync(new ProcessSpec("kill", ["-s", signal, process.Id.ToString(CultureInfo.InvariantCulture)]),
            ResourceLog.None, Ct);
        return "SIG" + signal;
    }

    private static Process StartAppHost(IReadOnlyList<string> verb, Dictionary<string, string?> environment, Action<string> onLine)
    {
        var spec = AppHostSpec(verb, environment);
        var info = new ProcessStartInfo(spec.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { onLine(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { onLine("stderr: " + line); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessSpec AppHostSpec(IReadOnlyList<string> verb, Dictionary<string, string?> environment) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "DevEnv.AppHost.dll"), .. verb]) { Environment = environment };

    private static async Task WaitForLineAsync(ConcurrentQueue<string> output, string text, Process process)
    {
        var deadline = DateTimeOffset.UtcNow + UpTimeout;
        while (!output.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline && !process.HasExited, $"no line '{text}' within {UpTimeout}:\n{Tail(output)}");
            await Task.Delay(200, Ct);
        }
    }

    private static string Tail(IEnumerable<string> lines) => string.Join('\n', lines.TakeLast(40));
}
