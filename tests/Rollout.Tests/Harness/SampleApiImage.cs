using System.Security.Cryptography;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// The real SampleApi image, built once per test run the way the product builds it: a test-owned registry
/// container (from the fixture registry image, on a free 127.0.0.1 port) gets the fixture base image pushed into
/// it, the SDK's container publishing (self-contained, trimmed) builds and pushes SampleApi on top of that base,
/// and <c>docker pull</c> brings it back for <c>docker run</c>. Everything carries this run's environment label
/// and is removed on dispose.
/// </summary>
public sealed class SampleApiImage : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "devenv-rollout-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _tags = [];

    /// <summary>Unique environment name of this run: <c>t</c> + 8 hex characters.</summary>
    public string EnvironmentName { get; } = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The label filter every object of this run carries.</summary>
    public string Label => $"{EnvironmentSettings.EnvironmentLabel}={EnvironmentName}";

    /// <summary>The process runner everything goes through.</summary>
    public IProcessRunner Runner { get; } = new ProcessRunner();

    /// <summary>docker CLI calls.</summary>
    public DockerCli Docker { get; }

    /// <summary>The pulled image, e.g. 127.0.0.1:41234/sampleapi:t1a2b3c4d.</summary>
    public string Image { get; private set; } = "";

    /// <summary>Seconds the publish (build + push) took.</summary>
    public TimeSpan PublishTime { get; private set; }

    /// <summary>Creates the fixture; the image is built in <see cref="InitializeAsync"/>.</summary>
    public SampleApiImage() => Docker = new DockerCli(Runner);

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var ct = deadline.Token;
        try
        {
            await BuildAsync(ct);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync(CancellationToken ct)
    {
        var registryImage = Env("DEVENV_REGISTRY_IMAGE", "devenv-fixture/registry:2.8.2");
        var baseImage = Env("DEVENV_FIXTURE_BASE_IMAGE", "devenv-fixture/runtime-deps:10.0");
        var registry = await Docker.RunAsync(["run", "-d", "--name", $"{EnvironmentName}-registry", "--label", Label, "-p", "127.0.0.1::5000", registryImage], ct);
        var port = await Docker.HostPortAsync(registry, 5000, ct);
        await WaitForRegistryAsync(port, ct);

        // Docker treats 127.0.0.0/8 registries as insecure (plain HTTP); the SDK does the same for "localhost".
        var pushedBase = $"127.0.0.1:{port}/runtime-deps:10.0";
        await Docker.RunAsync(["tag", baseImage, pushedBase], ct);
        _tags.Add(pushedBase);
        await Docker.RunAsync(["push", "-q", pushedBase], ct);

        var settings = new EnvironmentSettings();
        var started = TimeProvider.System.GetTimestamp();
        List<string> publish =
        [
            "publish", Path.Combine(settings.SourceRoot, settings.AppProject), "-c", "Release", "-r", "linux-x64", "--self-contained",
            "-p:PublishTrimmed=true", "-t:PublishContainer", "-nologo", "-v", "q",
            $"-p:ContainerRegistry=localhost:{port}", $"-p:ContainerBaseImage=localhost:{port}/runtime-deps:10.0",
            "-p:ContainerRepository=sampleapi", $"-p:ContainerImageTags={EnvironmentName}",
            // Own bin/obj: a publish from the test must not race the solution build or another test project.
            "--artifacts-path", _work,
        ];
        // Extra MSBuild properties for experiments, e.g. DEVENV_ROLLOUT_PUBLISH_PROPERTIES="TrimMode=partial;TreatWarningsAsErrors=false".
        var extra = Environment.GetEnvironmentVariable("DEVENV_ROLLOUT_PUBLISH_PROPERTIES") ?? "";
        publish.AddRange(extra.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => "-p:" + p));
        await Runner.RunCheckedAsync(new ProcessSpec("dotnet", publish)
        {
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        }, ResourceLog.None, ct);
        PublishTime = TimeProvider.System.GetElapsedTime(started);

        Image = $"127.0.0.1:{port}/sampleapi:{EnvironmentName}";
        await Docker.RunAsync(["pull", "-q", Image], ct);
        _tags.Add(Image);
    }

    /// <summary>
    /// Starts one throw-away container and asks the readiness path, so tests can tell an app without probes
    /// (skip, saying why) from a broken one (a container that dies fails with its logs). Cached per run.
    /// </summary>
    public async Task<ImageCapabilities> GetCapabilitiesAsync(HarnessOptions options, CancellationToken ct)
    {
        await _capabilityLock.WaitAsync(ct);
        try
        {
            return _capabilities ??= await ProbeCapabilitiesAsync(options, ct);
        }
        finally
        {
            _capabilityLock.Release();
        }
    }

    private readonly SemaphoreSlim _capabilityLock = new(1, 1);
    private ImageCapabilities? _capabilities;

    private async Task<ImageCapabilities> ProbeCapabilitiesAsync(HarnessOptions options, CancellationToken ct)
    {
        var id = await Docker.RunAsync(["run", "-d", "--label", Label, "--read-only", "--tmpfs", "/tmp:rw,size=16m",
            "-p", $"127.0.0.1::{options.ContainerPort}", "-p", $"127.0.0.1::{options.ManagementPort}",
            "-e", $"ASPNETCORE_HTTP_PORTS={options.ContainerPort}", "-e", $"Probe__Port={options.ManagementPort}", Image], ct);
        try
        {
            // The probes answer on the management port.
            var port = await Docker.HostPortAsync(id, options.ManagementPort, ct);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            for (var attempt = 0; attempt < 150; attempt++)
            {
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}{options.ReadinessPath}", ct);
                    return new ImageCapabilities((int)response.StatusCode);
                }
                catch (HttpRequestException) { /* not listening yet */ }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested) { /* slow start */ }
                var running = await Docker.RunAsync(["inspect", "-f", "{{.State.Running}}", id], ct);
                if (running != "true")
                {
                    throw new InvalidOperationException($"SampleApi container {Image} exited at start-up; logs:\n{await Docker.LogsAsync(id, ct)}");
                }
                await Task.Delay(100, ct);
            }
            throw new TimeoutException($"SampleApi container {Image} did not answer within 15 s; logs:\n{await Docker.LogsAsync(id, ct)}");
        }
        finally
        {
            await Runner.RunAsync(new ProcessSpec("docker", ["rm", "-f", id]), ResourceLog.None, CancellationToken.None);
        }
    }

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

    private static async Task WaitForRegistryAsync(int port, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/v2/", ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { /* slow start */ }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"registry on 127.0.0.1:{port} did not answer /v2/ within 10 s");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await Docker.RemoveContainersByLabelAsync(Label, deadline.Token);
        foreach (var tag in _tags)
        {
            await Runner.RunAsync(new ProcessSpec("docker", ["rmi", tag]), ResourceLog.None, deadline.Token);
        }
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { /* best effort */ } catch (UnauthorizedAccessException) { /* best effort */ }
    }
}
