using System.Globalization;
using System.Text;
using DevEnv.Hosting.Traffic;
using DevEnv.Rollout.Tests.Harness;

namespace DevEnv.Rollout.Tests.Bench;

/// <summary>
/// The full rollout target, run by scripts/bench/rollout.sh (skipped otherwise: it takes about five minutes):
/// at least 50,000 requests at 330 req/s through rolling updates of 3 replicas, a 3 → 1 scale-down with new and with
/// keep-alive connections, and the control without drain. Writes the tables to $DEVENV_ROLLOUT_BENCH_OUT.
/// </summary>
public sealed class RolloutBenchmark(SampleApiImage image)
{
    private const double Rate = 330;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The rendered Deployment, as the tests run it (the product's timings, not the harness's).
    private HarnessOptions Graceful => image.Render().ToOptions();

    [Fact]
    public async Task Full_rollout_target()
    {
        var output = Environment.GetEnvironmentVariable("DEVENV_ROLLOUT_BENCH_OUT");
        if (string.IsNullOrEmpty(output)) Assert.Skip("benchmark: run scripts/bench/rollout.sh (sets DEVENV_ROLLOUT_BENCH_OUT)");
        var steadySeconds = ReadSeconds("DEVENV_ROLLOUT_BENCH_STEADY", 70);
        var rolloutSeconds = ReadSeconds("DEVENV_ROLLOUT_BENCH_ROLLOUT", 60);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"image {image.Image}: layered pipeline publish {image.PublishTime.TotalSeconds:F1} s");

        // 1. Rolling updates under load, repeated until the rollout phase has lasted long enough for 50,000 requests overall.
        await using (var cluster = await StandInCluster.StartAsync(image, Graceful, Ct))
        {
            var rollouts = 0;
            var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
            {
                Load = Load(cluster.ServiceUrl, keepAlive: false),
                SteadyState = steadySeconds, Settle = TimeSpan.FromSeconds(25), RolloutTimeout = TimeSpan.FromMinutes(5),
            }, async ct =>
            {
                var started = cluster.Kubelet.Now;
                for (; rollouts < 20 && (rollouts == 0 || cluster.Kubelet.Now - started < rolloutSeconds); rollouts++)
                {
                    await cluster.Deployment.RollingUpdateAsync(cluster.Deployment.Template, ct);
                }
            }, Ct);
            report.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"## Rolling update: 3 replicas, maxSurge 1, maxUnavailable 0, {rollouts} rollouts back to back, {Rate} req/s, new connection per request");
            report.Append(result.ToTable());
            AppendPaths(report, "during rollout", result.Rollout);
            var ratio = result.Rollout.Latency.P99Ms / Math.Max(result.SteadyState.Latency.P99Ms, 0.001);
            report.AppendLine(CultureInfo.InvariantCulture, $"p99 during rollout / steady state: {ratio:F2} (target <= 1.5)");
            report.AppendLine(CultureInfo.InvariantCulture, $"rollout error: {result.RolloutError?.Message ?? "none"}");
            AppendReplicas(report, cluster);
        }

        // 2. Scale 3 -> 1 under load, new connections and keep-alive.
        foreach (var keepAlive in new[] { false, true })
        {
            await using var cluster = await StandInCluster.StartAsync(image, Graceful, Ct);
            var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
            {
                Load = Load(cluster.ServiceUrl, keepAlive), SteadyState = TimeSpan.FromSeconds(15), Settle = TimeSpan.FromSeconds(10),
            }, ct => cluster.Deployment.ScaleDownAsync(1, ct), Ct);
            report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Scale 3 -> 1, {Rate} req/s, {(keepAlive ? "HTTP/1.1 keep-alive" : "new connection per request")}");
            report.Append(result.ToTable());
            AppendReplicas(report, cluster);
        }

        // 3. The control: no preStop, no drain delay. Failures here prove the measurement can see them.
        await using (var cluster = await StandInCluster.StartAsync(image, Graceful with { PreStopCommand = null, DrainDelay = TimeSpan.Zero }, Ct))
        {
            var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
            {
                Load = Load(cluster.ServiceUrl, keepAlive: false), SteadyState = TimeSpan.FromSeconds(10), Settle = TimeSpan.FromSeconds(5),
            }, ct => cluster.Deployment.RollingUpdateAsync(cluster.Deployment.Template, ct), Ct);
            report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Control: rolling update without preStop and drain delay 0, {Rate} req/s");
            report.Append(result.ToTable());
            AppendReplicas(report, cluster);
        }

        await File.WriteAllTextAsync(output, report.ToString(), Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
    }

    private static LoadOptions Load(Uri target, bool keepAlive) => new()
    {
        Target = target, RatePerSecond = Rate, KeepAlive = keepAlive, MaxConnections = 512, RequestTimeout = TimeSpan.FromSeconds(15),
    };

    private static TimeSpan ReadSeconds(string name, int fallback) =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var s) ? s : fallback);

    /// <summary>Per path: the max latency beyond the handler's own time (the <c>ms=</c> of /work).</summary>
    private static void AppendPaths(StringBuilder report, string phase, LoadReport result)
    {
        foreach (var (path, stats) in result.LatencyByPath.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var own = path.Contains("ms=", StringComparison.Ordinal) && int.TryParse(path[(path.IndexOf("ms=", StringComparison.Ordinal) + 3)..], CultureInfo.InvariantCulture, out var ms) ? ms : 0;
            report.AppendLine(CultureInfo.InvariantCulture,
                $"{phase} {path}: p50 {stats.P50Ms:F1} ms, p99 {stats.P99Ms:F1} ms, max {stats.MaxMs:F1} ms = handler {own} ms + {stats.MaxMs - own:F1} ms (target < 2000)");
        }
    }

    private static void AppendReplicas(StringBuilder report, StandInCluster cluster)
    {
        report.AppendLine("replicas (time to ready from container start; exit code; exited before the grace period):");
        report.AppendLine(cluster.Describe());
        var ready = cluster.Deployment.History.Where(r => r.TimeToReady is not null).Select(r => r.TimeToReady!.Value.TotalMilliseconds).ToList();
        var exits = cluster.Kubelet.Terminations;
        report.AppendLine(CultureInfo.InvariantCulture,
            $"time to ready: max {ready.DefaultIfEmpty().Max():F0} ms, avg {ready.DefaultIfEmpty().Average():F0} ms; terminations {exits.Count}, exit 0 {exits.Count(t => t.ExitCode == 0)}, exit 137 {exits.Count(t => t.ExitCode == 137)}, SIGKILL {exits.Count(t => !t.ExitedBeforeGrace)}");
    }
}
