using System.Globalization;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.PortForward;

/// <summary>Real SampleApi processes on loopback standing for pods (each drains on SIGTERM, as in the cluster).</summary>
internal static class SampleApiPods
{
    /// <summary>Starts one on <paramref name="port"/> and waits until it answers.</summary>
    public static async Task<ChildProcess> StartAsync(int port, CancellationToken cancellationToken)
    {
        var sampleApi = Path.Combine(DevEnv.Hosting.Configuration.EnvironmentSettings.FindSourceRoot(), "SampleApi", "bin", "Release", "net10.0", "linux-x64", "SampleApi.dll");
        Assert.True(File.Exists(sampleApi), $"{sampleApi} is missing: dotnet build SampleApi -c Release");
        var app = ChildProcess.Start("dotnet", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["OTEL_SDK_DISABLED"] = "true",
            ["Probe__Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Shutdown__DrainDelay"] = "00:00:01",
        }, [sampleApi], Path.GetDirectoryName(sampleApi));
        await app.WaitForHttpAsync(new Uri($"http://127.0.0.1:{port}/"), TimeSpan.FromSeconds(60), cancellationToken);
        return app;
    }
}
