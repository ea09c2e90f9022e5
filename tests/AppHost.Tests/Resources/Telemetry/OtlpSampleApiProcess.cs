using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Telemetry;

/// <summary>
/// A real SampleApi process that knows only one OTLP endpoint and header line (what a pod gets), exporting every
/// half second so a test sees its span, log and metrics within seconds.
/// </summary>
internal static class OtlpSampleApiProcess
{
    /// <summary>Starts <paramref name="sampleApiDll"/> and waits until it answers; returns it with its URL.</summary>
    public static async Task<(ChildProcess App, Uri Url)> StartAsync(string sampleApiDll, string otlpEndpoint, string protocol, string headers, CancellationToken cancellationToken)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var app = ChildProcess.Start("dotnet", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["OTEL_SERVICE_NAME"] = "sampleapi",
            ["Probe__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_EXPORTER_OTLP_HEADERS"] = headers,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        }, [sampleApiDll], Path.GetDirectoryName(sampleApiDll));
        try
        {
            await app.WaitForHttpAsync(url, TimeSpan.FromSeconds(60), cancellationToken);
            return (app, url);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
