using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>A published SampleApi run as a plain process (no container) on a free 127.0.0.1 port, for one request.</summary>
public static class SampleApiProcess
{
    /// <summary>Starts <paramref name="executable"/>, waits (60 s at most) for /healthz/ready, returns the body of GET <paramref name="path"/> and stops it.</summary>
    public static Task<string> GetAsync(string executable, string path, CancellationToken cancellationToken) =>
        GetAsync(executable, path, runUnder: [], environment: new Dictionary<string, string>(), TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>
    /// As above, with <paramref name="runUnder"/> before the executable (an emulator and its arguments, e.g.
    /// qemu-aarch64-static -L &lt;root&gt;), <paramref name="environment"/> added (an image's Env) and its own start-up deadline.
    /// </summary>
    public static async Task<string> GetAsync(string executable, string path, IReadOnlyList<string> runUnder, IReadOnlyDictionary<string, string> environment,
        TimeSpan startupTimeout, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        // The probes answer on the management port only (ServiceDefaults' Probe:Port).
        var managementPort = FreePort.Next();
        var state = Directory.CreateTempSubdirectory("devenv-app-state-").FullName;
        // The test's own addresses win over the image's (ASPNETCORE_URLS beats ASPNETCORE_HTTP_PORTS).
        var variables = new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Probe__StateDirectory"] = state,
            ["Probe__Port"] = $"{managementPort}",
        };
        try
        {
            await using var app = runUnder.Count == 0
                ? ChildProcess.Start(executable, variables)
                : ChildProcess.Start(runUnder[0], variables, [.. runUnder.Skip(1), executable], Path.GetDirectoryName(executable));
            await app.WaitForHttpAsync(new Uri($"http://127.0.0.1:{managementPort}/healthz/ready"), startupTimeout, cancellationToken);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(path, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}; app output:\n{app.Output}");
            return body;
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
