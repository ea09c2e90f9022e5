using System.Globalization;
using System.Net.Sockets;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.AppHost.Tests.Support;
using DevEnv.Hosting.Watch;

namespace DevEnv.AppHost.Tests.Cli;

/// <summary>
/// The AppHost as a user runs it: `up` brings up the registry (DCP), publishes the image and serves the Aspire
/// dashboard; a save under it rebuilds and pushes a new image; Ctrl+C stops the AppHost and leaves the registry and
/// its images; `down --purge` then leaves nothing labelled. The cluster gets a node image that cannot exist.
/// </summary>
public sealed class UpProcessTests
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The environment of a test AppHost: its own name, ports, state and a copy of the sources.</summary>
    public static Dictionary<string, string?> Environment(string name, string source, string state, int registryPort, int dashboardPort) => new()
    {
        ["DEVENV_NAME"] = name,
        ["DEVENV_SOURCE_ROOT"] = source,
        ["DEVENV_STATE_DIR"] = state,
        ["DEVENV_REGISTRY_PORT"] = registryPort.ToString(CultureInfo.InvariantCulture),
        ["DEVENV_DASHBOARD_PORT"] = dashboardPort.ToString(CultureInfo.InvariantCulture),
        ["DEVENV_NODE_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["DEVENV_REGISTRY_IMAGE"] = DockerTestEnvironment.RegistryImage,
        ["DEVENV_BASE_IMAGE"] = DockerTestEnvironment.FixtureBaseImage,
        // The untrimmed mode publishes in seconds; what is under test here is the process, not the trimmer.
        ["DEVENV_IMAGE_MODE"] = "fast",
        ["DEVENV_NODE_IMAGE"] = "devenv-test/no-such-node:v0",
    };

    [Fact]
    public async Task A_save_rebuilds_under_up_and_Ctrl_C_leaves_the_environment_running()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var docker = new DockerTestEnvironment(name);
        using var workspace = new SampleApiWorkspace();
        var state = Directory.CreateTempSubdirectory("devenv-up-state-").FullName;
        var registryPort = FreePort.Next();
        var dashboardPort = FreePort.Next();
        var environment = Environment(name, workspace.Root, state, registryPort, dashboardPort);
        // As CI machines set them: the watcher says what each costs every rebuild.
        environment[SlowBuildSettings.SharedCompilation] = "false";
        environment[SlowBuildSettings.NodeReuse] = "1";
        try
        {
            using var up = AppHostProcess.Start([], environment);
            var first = await up.WaitForLineAsync("sampleapi-image: Running", UpTimeout, Ct);
            await up.WaitForLineAsync("Watching SampleApi, ServiceDefaults for changes", UpTimeout, Ct);
            await up.WaitForLineAsync($"{SlowBuildSettings.SharedCompilation}=false is set in the environment: every rebuild starts the C# compiler cold", UpTimeout, Ct);
            await up.WaitForLineAsync($"{SlowBuildSettings.NodeReuse}=1 is set in the environment: every rebuild starts MSBuild anew", UpTimeout, Ct);
            await up.WaitForLineAsync("cluster: Failed - node image devenv-test/no-such-node:v0 cannot be obtained", UpTimeout, Ct);
            var login = await up.LoginUrlAsync(UpTimeout, Ct);
            Assert.StartsWith($"http://127.0.0.1:{dashboardPort}/login?t=", login);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                var page = await http.GetAsync(new Uri(login), Ct);
                Assert.True(page.IsSuccessStatusCode, $"the dashboard answered {(int)page.StatusCode} to its login URL");
            }

            // A save under the running AppHost: the watcher rebuilds and pushes a new image (the deployment waits for its cluster).
            var hello = workspace.HelloFile;
            workspace.Edit(hello, "\"Hello, World!\"", "\"Hello, watcher!\"");
            var rebuilt = await up.WaitForLineAsync("sampleapi-image: Running - pushed", UpTimeout, Ct, except: new HashSet<string> { first });
            Assert.NotEqual(first, rebuilt);

            // A compile error under the running AppHost: the image fails with the compiler's own line (file and error
            // code); the last good image stays what the registry serves. Fixing it brings the same content back.
            workspace.Edit(hello, "\"Hello, watcher!\"", "\"Hello, watcher!\" +");
            var broken = await up.WaitForLineAsync("sampleapi-image: Failed", UpTimeout, Ct);
            Assert.Matches(@"\.cs\(\d+,\d+\): error CS\d{4}", broken);
            Assert.Contains(Path.GetFileName(hello), broken, StringComparison.Ordinal);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                Assert.Contains($"\"{Tag(rebuilt)}\"", await http.GetStringAsync($"http://127.0.0.1:{registryPort}/v2/sampleapi/tags/list", Ct));
            }

            workspace.Edit(hello, "\"Hello, watcher!\" +", "\"Hello, watcher!\"");
            var mended = await up.WaitForLineAsync("sampleapi-image: Running", UpTimeout, Ct, except: new HashSet<string> { first, rebuilt });
            Assert.Contains($"{Tag(rebuilt)} is current", mended, StringComparison.Ordinal);

            var signal = await up.SendCtrlCAsync(Ct);
            await up.Process.WaitForExitAsync(Ct).WaitAsync(ExitTimeout, Ct);
            Assert.True(up.Process.ExitCode == 0, $"up exited {up.Process.ExitCode} after {signal}:\n{up.Tail()}");
            Assert.Contains("The watcher and the dashboard stopped; the environment keeps running ('down' removes it).", up.Output);

            // The dashboard is gone (DCP stops its process right after the AppHost exits); the registry and what was
            // pushed to it stay for the next `up`.
            Assert.True(await PortClosesAsync(dashboardPort, TimeSpan.FromSeconds(30)), $"the dashboard still listens on {dashboardPort} 30 s after up exited");
            var containers = await docker.LabelledContainersAsync(Ct);
            Assert.Contains(containers, c => c.Names.Contains($"/{name}-registry") && c.State == "running");
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
            {
                Assert.Contains("\"sampleapi\"", await http.GetStringAsync($"http://127.0.0.1:{registryPort}/v2/_catalog", Ct));
            }

            var down = await new ProcessRunner().RunAsync(AppHostProcess.Spec(["down", "--purge"], environment), ResourceLog.None, Ct);
            Assert.True(down.ExitCode == 0, $"down failed:\n{down.Output}\n{down.Error}");
            Assert.Empty(await docker.LabelledContainersAsync(Ct));
            Assert.Empty(await docker.LabelledVolumesAsync(Ct));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    // "sampleapi-image: Running - pushed localhost:5001/sampleapi:src-0123456789ab" → "src-0123456789ab"
    private static string Tag(string line) => line[(line.LastIndexOf(':') + 1)..].Split(' ')[0];

    private static async Task<bool> PortClosesAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, Ct);
            }
            catch (SocketException)
            {
                return true;
            }

            await Task.Delay(500, Ct);
        }

        return false;
    }
}
