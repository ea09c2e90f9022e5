using System.Collections.Concurrent;
using System.Diagnostics;
using DevEnv.AppHost.Tests.Clients.Docker;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>A published SampleApi run as a plain process (no container) on a free 127.0.0.1 port, for one request.</summary>
public static class SampleApiProcess
{
    /// <summary>Starts <paramref name="executable"/>, waits for /healthz/ready, returns the body of GET <paramref name="path"/> and kills it.</summary>
    public static Task<string> GetAsync(string executable, string path, CancellationToken cancellationToken) =>
        GetAsync(executable, path, runUnder: [], environment: new Dictionary<string, string>(), TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>
    /// As above, with <paramref name="runUnder"/> before the executable (an emulator and its arguments, e.g.
    /// qemu-aarch64-static -L &lt;root&gt;), <paramref name="environment"/> added (an image's Env) and its own start-up deadline.
    /// </summary>
    public static async Task<string> GetAsync(string executable, string path, IReadOnlyList<string> runUnder, IReadOnlyDictionary<string, string> environment,
        TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        var port = DockerTestEnvironment.FreePort();
        // The probes answer on the management port only (ServiceDefaults' Probe:Port).
        var managementPort = DockerTestEnvironment.FreePort();
        var state = Directory.CreateTempSubdirectory("devenv-app-state-").FullName;
        var output = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo(runUnder.Count > 0 ? runUnder[0] : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        if (runUnder.Count > 0)
        {
            foreach (var argument in runUnder.Skip(1).Append(executable))
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // The test's own addresses win over the image's (ASPNETCORE_URLS beats ASPNETCORE_HTTP_PORTS).
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Probe__StateDirectory"] = state;
        start.Environment["Probe__Port"] = $"{managementPort}";
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            using var probes = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}"), Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (!await IsReady(probes, cancellationToken))
            {
                Assert.False(process.HasExited, $"the app exited with {(process.HasExited ? process.ExitCode : 0)} at start-up:\n{string.Join('\n', output)}");
                Assert.True(clock.Elapsed < startupTimeout, $"the app was not ready within {startupTimeout.TotalSeconds:0} s:\n{string.Join('\n', output)}");
                await Task.Delay(100, cancellationToken);
            }

            using var response = await http.GetAsync(path, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}; app output:\n{string.Join('\n', output.TakeLast(20))}");
            return body;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<bool> IsReady(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("/healthz/ready", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false; // not listening yet
        }
    }
}
