using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>A published SampleApi run as a plain process (no container) on a free 127.0.0.1 port, for one request.</summary>
public static class SampleApiProcess
{
    /// <summary>Starts <paramref name="executable"/>, waits (60 s at most) for /healthz/ready, returns the body of GET <paramref name="path"/> and stops it.</summary>
    public static async Task<string> GetAsync(string executable, string path, CancellationToken cancellationToken)
    {
        var port = DockerTestEnvironment.FreePort();
        // The probes answer on the management port only (ServiceDefaults' Probe:Port).
        var managementPort = DockerTestEnvironment.FreePort();
        var state = Directory.CreateTempSubdirectory("devenv-app-state-").FullName;
        try
        {
            await using var app = ChildProcess.Start(executable, new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Probe__StateDirectory"] = state,
                ["Probe__Port"] = $"{managementPort}",
            });
            await app.WaitForHttpAsync(new Uri($"http://127.0.0.1:{managementPort}/healthz/ready"), TimeSpan.FromSeconds(60), cancellationToken);
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
