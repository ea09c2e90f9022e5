using System.Collections.Concurrent;
using System.Diagnostics;
using DevEnv.AppHost.Tests.Clients.Docker;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// The real Aspire dashboard, the one the AppHost starts (from the Aspire.Dashboard.Sdk package), run on its own on
/// free 127.0.0.1 ports: OTLP/HTTP with API-key authentication as the AppHost configures it, and its telemetry HTTP API
/// (unsecured, test only) to read back what arrived.
/// </summary>
public sealed class AspireDashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AspireDashboardProcess(Process process, int frontendPort, int otlpHttpPort, string apiKey)
    {
        _process = process;
        Frontend = new Uri($"http://127.0.0.1:{frontendPort}");
        OtlpHttp = new Uri($"http://127.0.0.1:{otlpHttpPort}");
        ApiKey = apiKey;
    }

    /// <summary>The UI and the telemetry API.</summary>
    public Uri Frontend { get; }

    /// <summary>The OTLP/HTTP endpoint.</summary>
    public Uri OtlpHttp { get; }

    /// <summary>The key OTLP senders must present (x-otlp-api-key).</summary>
    public string ApiKey { get; }

    /// <summary>What the dashboard printed.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The dashboard executable of the Aspire.Dashboard.Sdk package restored for the AppHost, or null.</summary>
    public static string? FindExecutable()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var root = Path.Combine(packages, "aspire.dashboard.sdk.linux-x64");
        return Directory.Exists(root)
            ? Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).Select(v => Path.Combine(v, "tools", "Aspire.Dashboard")).LastOrDefault(File.Exists)
            : null;
    }

    /// <summary>Starts the dashboard and waits (60 s at most) until its telemetry API answers.</summary>
    public static async Task<AspireDashboardProcess> StartAsync(string executable, CancellationToken cancellationToken)
    {
        var (frontend, grpc, http) = (DockerTestEnvironment.FreePort(), DockerTestEnvironment.FreePort(), DockerTestEnvironment.FreePort());
        var apiKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{frontend}",
                ["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpc}",
                ["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{http}",
                ["Dashboard__Otlp__AuthMode"] = "ApiKey",
                ["Dashboard__Otlp__PrimaryApiKey"] = apiKey,
                ["Dashboard__Frontend__AuthMode"] = "Unsecured",
                ["Dashboard__Api__Enabled"] = "true",
                ["Dashboard__Api__AuthMode"] = "Unsecured",
            },
        };
        var process = new Process { StartInfo = start };
        var dashboard = new AspireDashboardProcess(process, frontend, http, apiKey);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) dashboard._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) dashboard._output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var api = new HttpClient { BaseAddress = dashboard.Frontend, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await api.GetAsync("/api/telemetry/resources", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return dashboard;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // not listening yet
            }

            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                await dashboard.DisposeAsync();
                Assert.Fail($"the Aspire dashboard did not answer within 60 s:\n{dashboard.Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>GET /api/telemetry/&lt;path&gt; as text.</summary>
    public async Task<string> GetTelemetryAsync(string path, CancellationToken cancellationToken)
    {
        using var api = new HttpClient { BaseAddress = Frontend, Timeout = TimeSpan.FromSeconds(5) };
        return await api.GetStringAsync("/api/telemetry/" + path, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
    }
}
