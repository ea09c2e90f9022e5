using System.Diagnostics;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Resources.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Hosting;

/// <summary>
/// The AppHost's own spans reach the dashboard it configures: the `up` builder (the real one, with the OTLP key Aspire
/// generated for its dashboard) exports to the real Aspire dashboard, started here with that key on the configured port.
/// </summary>
public sealed class AppHostTelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rebuild_span_arrives_under_the_apphost_service_with_its_tag_and_pushed_bytes()
    {
        var executable = AspireDashboardProcess.FindExecutable();
        Assert.True(executable is not null, "the Aspire dashboard (Aspire.Dashboard.Sdk.linux-x64) is not in the NuGet cache: restore the AppHost");
        var otlpHttp = FreePort.Next();
        var state = Directory.CreateTempSubdirectory("devenv-apphost-telemetry-").FullName;
        try
        {
            var builder = DevEnvApplication.CreateBuilder(["up",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort.Next()}",
                $"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:{otlpHttp}",
                $"--DEVENV_STATE_DIR={state}"]);
            var apiKey = builder.Configuration["AppHost:OtlpApiKey"];
            Assert.False(string.IsNullOrEmpty(apiKey), "Aspire generates the dashboard's OTLP key for `up`");
            await using var dashboard = await AspireDashboardProcess.StartAsync(executable, Ct, apiKey, otlpHttp);
            await using var app = builder.Build();
            var tracing = app.Services.GetRequiredService<TracerProvider>();

            var build = new ImageBuild("src-0123456789ab", "localhost:5001/sampleapi:src-0123456789ab", "sha256:0123456789ab", Reused: false,
                TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 15_000_000, 36_000_000, PushedBytes: 138_800, PushedLayers: 2, DateTimeOffset.UtcNow);
            using (DevEnvTelemetry.Source.StartActivity("rebuild and deploy sampleapi-image"))
            {
                DevEnvTelemetry.RecordBuild("sampleapi-image", new ImageBuildResult(build, null));
            }

            Assert.True(tracing.ForceFlush(10_000), "the exporter did not flush within 10 s");
            var clock = Stopwatch.StartNew();
            var spans = "";
            while (clock.Elapsed < TimeSpan.FromSeconds(30) && !spans.Contains("rebuild and deploy sampleapi-image", StringComparison.Ordinal))
            {
                spans = await dashboard.GetTelemetryAsync("spans", Ct);
                await Task.Delay(300, Ct);
            }

            Assert.True(spans.Contains("rebuild and deploy sampleapi-image", StringComparison.Ordinal), $"no span within 30 s: {spans}\ndashboard:\n{dashboard.Output}");
            Assert.Contains(DevEnvTelemetry.ServiceName, spans, StringComparison.Ordinal);
            Assert.Contains("src-0123456789ab", spans, StringComparison.Ordinal);
            Assert.Contains("138800", spans, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
