using System.Diagnostics;
using System.Diagnostics.Metrics;
using Aspire.Hosting;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DevEnv.Hosting.Application;

/// <summary>
/// The AppHost's own telemetry, sent to the dashboard it starts as the service <see cref="ServiceName"/>: a span per
/// rebuild and deploy with its build and rollout, and metrics of build time, bytes pushed and rollout time (and the
/// rollout verifier's requests, <see cref="Traffic.LoadMetrics"/>), so the inner loop's cost is visible next to the
/// services' traces.
/// </summary>
public static class DevEnvTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "DevEnv.AppHost";

    /// <summary>service.name of the AppHost in the dashboard.</summary>
    public const string ServiceName = "devenv-apphost";

    /// <summary>The AppHost's spans.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);
    private static readonly Histogram<double> BuildSeconds = Meter.CreateHistogram<double>("devenv.image.build.duration", "s", "Publish and push of a project's image");
    private static readonly Counter<long> PushedBytes = Meter.CreateCounter<long>("devenv.image.pushed", "By", "Bytes uploaded to the registry");
    private static readonly Histogram<double> RolloutSeconds = Meter.CreateHistogram<double>("devenv.rollout.duration", "s", "Apply to rolled out");
    private static readonly Histogram<double> HotReloadSeconds = Meter.CreateHistogram<double>("devenv.hotreload.duration", "s", "Save to applied in every pod, by Hot Reload");

    /// <summary>Records a finished build on the current span and in the metrics.</summary>
    public static void RecordBuild(string image, ImageBuildResult result)
    {
        var tags = new TagList { { "devenv.image", image }, { "devenv.result", result.Success ? "ok" : "failed" } };
        if (result.Build is { } build)
        {
            BuildSeconds.Record(build.TotalTime.TotalSeconds, tags);
            PushedBytes.Add(build.PushedBytes, tags);
            Activity.Current?.SetTag("devenv.image.tag", build.Tag).SetTag("devenv.image.pushed_bytes", build.PushedBytes).SetTag("devenv.image.reused", build.Reused);
        }
        else
        {
            Activity.Current?.SetStatus(ActivityStatusCode.Error, result.Error?.Split('\n')[0]);
        }
    }

    /// <summary>Records a rollout's duration.</summary>
    public static void RecordRollout(string deployment, TimeSpan elapsed, bool succeeded) =>
        RolloutSeconds.Record(elapsed.TotalSeconds, new TagList { { "devenv.deployment", deployment }, { "devenv.result", succeeded ? "ok" : "failed" } });

    /// <summary>
    /// Records a save carried into the pods by Hot Reload as a span of its own from the file write to the last pod's
    /// answer (it begins before anything of ours ran: dotnet-watch noticed the save), and in the metrics.
    /// </summary>
    public static void RecordHotReload(string deployment, HotReload.HotReloadOutcome outcome)
    {
        var succeeded = outcome.Applied == outcome.Pods;
        HotReloadSeconds.Record(outcome.SaveToApplied.TotalSeconds, new TagList { { "devenv.deployment", deployment }, { "devenv.result", succeeded ? "ok" : "refused" } });
        using var span = Source.StartActivity($"hot reload {deployment}", ActivityKind.Internal, parentContext: default, startTime: outcome.SavedAt);
        span?.SetTag("devenv.hotreload.pods", outcome.Pods).SetTag("devenv.hotreload.applied", outcome.Applied).SetTag("devenv.hotreload.delta_bytes", outcome.DeltaBytes);
        if (!succeeded)
        {
            span?.SetStatus(ActivityStatusCode.Error, $"{outcome.Pods - outcome.Applied} pod(s) refused the update");
        }

        span?.SetEndTime((outcome.SavedAt + outcome.SaveToApplied).UtcDateTime);
    }

    /// <summary>Exports to the dashboard's OTLP endpoint with its key, when the AppHost runs one (the <c>up</c> verb).</summary>
    internal static void AddExport(IDistributedApplicationBuilder builder)
    {
        if (DashboardOtlpTarget.From(builder.Configuration) is not { } target)
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(t => t.AddSource(Name).AddOtlpExporter(o => Configure(o, target, "v1/traces")))
            .WithMetrics(m => m.AddMeter(Name).AddOtlpExporter((o, reader) =>
            {
                Configure(o, target, "v1/metrics");
                // A build takes seconds; the default minute would leave the dashboard's charts a step behind.
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 5000;
            }));
    }

    private static void Configure(OtlpExporterOptions options, DashboardOtlpTarget target, string signalPath)
    {
        var http = target.Protocol == "http/protobuf";
        options.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        // An endpoint set in code is used as it is: OTLP/HTTP needs the signal's path.
        options.Endpoint = http ? new Uri(target.Url, signalPath) : target.Url;
        options.Headers = target.ApiKey is { } key ? "x-otlp-api-key=" + key : null;
    }
}
