using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// The real Aspire dashboard, the one the AppHost starts (from the Aspire.Dashboard.Sdk package), run on its own on
/// free 127.0.0.1 ports: OTLP/HTTP with API-key authentication as the AppHost configures it, and its telemetry HTTP API
/// (unsecured, test only) to read back what arrived.
/// </summary>
public sealed class AspireDashboardProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private AspireDashboardProcess(ChildProcess process, int frontendPort, int otlpHttpPort, string apiKey)
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
    public string Output => _process.Output;

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

    /// <summary>
    /// Starts the dashboard (with <paramref name="apiKey"/> and OTLP/HTTP on <paramref name="otlpHttpPort"/> when given,
    /// else a new key and a free port) and waits (60 s at most) until its telemetry API answers.
    /// </summary>
    public static async Task<AspireDashboardProcess> StartAsync(string executable, CancellationToken cancellationToken, string? apiKey = null, int? otlpHttpPort = null)
    {
        var (frontend, grpc, http) = (DockerTestEnvironment.FreePort(), DockerTestEnvironment.FreePort(), otlpHttpPort ?? DockerTestEnvironment.FreePort());
        apiKey ??= Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var process = ChildProcess.Start(executable, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{frontend}",
            ["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpc}",
            ["DOTNET_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{http}",
            ["Dashboard__Otlp__AuthMode"] = "ApiKey",
            ["Dashboard__Otlp__PrimaryApiKey"] = apiKey,
            ["Dashboard__Frontend__AuthMode"] = "Unsecured",
            ["Dashboard__Api__Enabled"] = "true",
            ["Dashboard__Api__AuthMode"] = "Unsecured",
        });
        var dashboard = new AspireDashboardProcess(process, frontend, http, apiKey);
        try
        {
            await process.WaitForHttpAsync(new Uri(dashboard.Frontend, "/api/telemetry/resources"), TimeSpan.FromSeconds(60), cancellationToken);
            return dashboard;
        }
        catch
        {
            await dashboard.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET /api/telemetry/&lt;path&gt; as text.</summary>
    public async Task<string> GetTelemetryAsync(string path, CancellationToken cancellationToken)
    {
        using var api = new HttpClient { BaseAddress = Frontend, Timeout = TimeSpan.FromSeconds(5) };
        return await api.GetStringAsync("/api/telemetry/" + path, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
