using System.Collections.Concurrent;
using System.Diagnostics;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>
/// The image's publish (shipping options, without the container step) done twice into the same obj/ and publish
/// folder, the way the watch loop rebuilds: a change that starts using a framework assembly the first publish had
/// trimmed away must run after the second. It did not while the SDK kept the first publish's trimmed deps.json
/// (see SampleApi/Publish.targets).
/// </summary>
public sealed class TrimmedIncrementalPublishTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_change_that_uses_a_framework_assembly_the_last_publish_trimmed_away_runs_after_an_incremental_publish()
    {
        using var ws = new SampleApiWorkspace();
        var publishDir = Path.Combine(ws.Root, "publish");
        await Publish(ws, publishDir);
        Assert.True(File.Exists(Path.Combine(publishDir, "SampleApi")));
        // Without this the test proves nothing: the assembly must be one the trimmer dropped the first time.
        Assert.False(File.Exists(Path.Combine(publishDir, "System.Formats.Tar.dll")), "System.Formats.Tar is no longer trimmed away; pick another unused framework assembly");

        File.WriteAllText(Path.Combine(ws.Root, "SampleApi", "TarGreeting.cs"), """
            using System.Formats.Tar;

            namespace DevEnv.SampleApi;

            internal static class TarGreeting
            {
                public static string Get()
                {
                    using var stream = new MemoryStream();
                    using (var writer = new TarWriter(stream, leaveOpen: true))
                    {
                        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt"));
                    }

                    stream.Position = 0;
                    using var reader = new TarReader(stream);
                    return "tar: " + reader.GetNextEntry()!.Name;
                }
            }
            """);
        ws.Edit(ws.HelloFile, "\"Hello, World!\"", "TarGreeting.Get()");
        await Publish(ws, publishDir);

        Assert.Equal("tar: hello.txt", await GetRootAsync(Path.Combine(publishDir, "SampleApi")));
    }

    private static async Task Publish(SampleApiWorkspace ws, string publishDir)
    {
        var project = Path.Combine(ws.Root, "SampleApi", "SampleApi.csproj");
        var spec = new ProcessSpec("dotnet",
            ["publish", project, .. ImageBuildOptions.Default.ToArguments(), "-o", publishDir, "-tl:off", "-nologo", "-v:q", "-clp:ErrorsOnly"])
        {
            WorkingDirectory = ws.Root,
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };
        await new ProcessRunner().RunCheckedAsync(spec, ResourceLog.None, Ct);
    }

    // Starts the published app on a free 127.0.0.1 port, waits for readiness, returns GET / and kills it.
    private static async Task<string> GetRootAsync(string executable)
    {
        var port = DockerTestEnvironment.FreePort();
        var state = Directory.CreateTempSubdirectory("devenv-app-state-").FullName;
        var output = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            Environment = { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["Probe__StateDirectory"] = state },
        };
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (!await IsReady(http))
            {
                Assert.False(process.HasExited, $"the app exited with {(process.HasExited ? process.ExitCode : 0)} at start-up:\n{string.Join('\n', output)}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the app was not ready within 60 s:\n{string.Join('\n', output)}");
                await Task.Delay(100, Ct);
            }

            using var response = await http.GetAsync("/", Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.IsSuccessStatusCode, $"GET / answered {(int)response.StatusCode}; app output:\n{string.Join('\n', output.TakeLast(20))}");
            return body;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<bool> IsReady(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/healthz/ready", Ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
        {
            return false; // not listening yet
        }
    }
}
