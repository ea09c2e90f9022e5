using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// A published SampleApi running as a plain process with a given environment (the container's), on free 127.0.0.1
/// ports and a temporary state folder instead of the pod's, until disposed.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;
    private readonly string _state;

    private RunningApp(ChildProcess process, int port, string state)
    {
        _process = process;
        _state = state;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>What the app printed.</summary>
    public string Output => _process.Output;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="environment"/> and waits (60 s at most) for readiness.</summary>
    public static async Task<RunningApp> StartAsync(string executable, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var (port, managementPort) = (DockerTestEnvironment.FreePort(), DockerTestEnvironment.FreePort());
        var state = Directory.CreateTempSubdirectory("devenv-app-state-").FullName;
        // The host's ports and state folder instead of the pod's (8080, 8081, the /tmp emptyDir).
        var local = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            ["ASPNETCORE_HTTP_PORTS"] = $"{port}",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Probe__Port"] = $"{managementPort}",
            ["Probe__StateDirectory"] = state,
        };
        var app = new RunningApp(ChildProcess.Start(executable, local), port, state);
        try
        {
            await app._process.WaitForHttpAsync(new Uri($"http://127.0.0.1:{managementPort}/healthz/ready"), TimeSpan.FromSeconds(60), cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET <paramref name="path"/>, the body.</summary>
    public Task<string> GetAsync(string path, CancellationToken cancellationToken) => _http.GetStringAsync(path, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }
}
