using System.Collections.Concurrent;
using System.Diagnostics;
using DevEnv.AppHost.Tests.Clients.Docker;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// A published SampleApi running as a plain process with a given environment (the container's), on free 127.0.0.1
/// ports instead of the container's, until disposed.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _http;
    private readonly string _state;

    private RunningApp(Process process, int port, string state)
    {
        _process = process;
        _state = state;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>What the app printed.</summary>
    public string Output => string.Join('\n', _output.TakeLast(40));

    /// <summary>Starts <paramref name="executable"/> with <paramref name="environment"/> and waits (60 s at most) for readiness.</summary>
    public static async Task<RunningApp> StartAsync(string executable, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var (port, managementPort) = (DockerTestEnvironment.FreePort(), DockerTestEnvironment.FreePort());
        var state = Directory.CreateTempSubdirectory("devenv-app-state-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // The host's ports and state folder instead of the pod's (8080, 8081, the /tmp emptyDir).
        start.Environment["ASPNETCORE_HTTP_PORTS"] = $"{port}";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Probe__Port"] = $"{managementPort}";
        start.Environment["Probe__StateDirectory"] = state;
        var process = new Process { StartInfo = start };
        var app = new RunningApp(process, port, state);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) app._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) app._output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probes = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}"), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var ready = await probes.GetAsync("/healthz/ready", cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not listening yet
            }

            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                await app.DisposeAsync();
                Assert.Fail($"the app was not ready within 60 s:\n{app.Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>GET <paramref name="path"/>, the body.</summary>
    public Task<string> GetAsync(string path, CancellationToken cancellationToken) => _http.GetStringAsync(path, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
        Directory.Delete(_state, recursive: true);
    }
}
