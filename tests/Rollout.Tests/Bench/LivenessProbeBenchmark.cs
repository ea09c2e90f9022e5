using System.Diagnostics;
using System.Globalization;
using System.Text;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Traffic;
using DevEnv.Rollout.Tests.Harness;

namespace DevEnv.Rollout.Tests.Bench;

/// <summary>
/// Liveness probe latency under load, the exec probe (<c>/app/SampleApi probe live</c>, a second .NET process in the pod,
/// as rendered before issue 26) against the HTTP probe on the management port (rendered now), in the same run, on the
/// same replicas, under the same load; run by scripts/bench/liveness.sh (skipped otherwise). Each replica is probed both
/// ways every <see cref="SamplePeriod"/>, in alternating order, each bounded by the rendered timeout, while the stand-in
/// kubelet runs the rendered (HTTP) liveness probe as in the rollout tests and would kill a replica on three failures.
/// </summary>
public sealed class LivenessProbeBenchmark(SampleApiImage image)
{
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Exec_versus_http_liveness_latency_under_load()
    {
        var output = Environment.GetEnvironmentVariable("DEVENV_LIVENESS_BENCH_OUT");
        if (string.IsNullOrEmpty(output)) Assert.Skip("benchmark: run scripts/bench/liveness.sh (sets DEVENV_LIVENESS_BENCH_OUT)");
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("DEVENV_LIVENESS_BENCH_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 60;
        var rate = double.TryParse(Environment.GetEnvironmentVariable("DEVENV_LIVENESS_BENCH_RATE"), CultureInfo.InvariantCulture, out var r) ? r : 330;
        var options = image.Render().ToOptions();
        var rendered = options.LivenessProbe ?? throw new InvalidOperationException("the rendered Deployment has no liveness probe");
        await using var cluster = await StandInCluster.StartAsync(image, options, Ct);
        var replicas = cluster.Deployment.Current;

        var exec = new List<double>();
        var http = new List<double>();
        var failures = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var load = new LoadGenerator().RunAsync(new LoadOptions
        {
            Target = cluster.ServiceUrl, RatePerSecond = rate, Duration = TimeSpan.FromSeconds(seconds), KeepAlive = false, MaxConnections = 512, RequestTimeout = TimeSpan.FromSeconds(15),
        }, Ct);
        var samplers = replicas.Select(replica => SampleAsync(replica, rendered.Timeout, exec, http, failures, stop.Token)).ToList();
        var report = await load;
        await stop.CancelAsync();
        await Task.WhenAll(samplers);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{replicas.Count} replicas, {rate} req/s for {seconds} s (new connection per request): {report.Requests} requests, {report.Failed} failed, p99 {report.Latency.P99Ms:F0} ms; each replica probed both ways every {SamplePeriod.TotalSeconds:0} s, timeout {rendered.Timeout.TotalSeconds:0} s");
        text.AppendLine(Row("exec `probe live` (before)", exec, rendered.Timeout));
        text.AppendLine(Row($"HTTP GET {AppContract.LivenessPath} on the management port (now)", http, rendered.Timeout));
        var renderedTimes = replicas.SelectMany(x => x.LivenessTimes).Select(t => t.TotalMilliseconds).ToList();
        text.AppendLine(Row("rendered liveness probe run by the stand-in kubelet", renderedTimes, rendered.Timeout));
        text.AppendLine(CultureInfo.InvariantCulture, $"liveness kills: {replicas.Count(x => x.KilledByLiveness is not null)}; failed samples: {(failures.Count == 0 ? "none" : string.Join("; ", failures.Take(5)))}");
        text.AppendLine(cluster.Describe());
        await File.WriteAllTextAsync(output, text.ToString(), Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(text.ToString());
        Assert.NotEmpty(exec);
        Assert.NotEmpty(http);
    }

    private async Task SampleAsync(Replica replica, TimeSpan timeout, List<double> exec, List<double> http, List<string> failures, CancellationToken ct)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = timeout };
        var url = new Uri($"http://127.0.0.1:{replica.HostPorts[AppContract.ManagementPort]}{AppContract.LivenessPath}");
        var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var spec = new ProcessSpec("timeout", ["--kill-after=2", seconds, "docker", "exec", replica.ContainerId, AppContract.Executable, "probe", "live"]);
        for (var round = 0; !ct.IsCancellationRequested; round++)
        {
            try
            {
                // Alternate the order so neither probe always runs right after the other's load on the pod.
                if (round % 2 == 0) { await ExecOnce(); await HttpOnce(); }
                else { await HttpOnce(); await ExecOnce(); }
                await Task.Delay(SamplePeriod, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }

        async Task ExecOnce()
        {
            var began = Stopwatch.GetTimestamp();
            var result = await image.Runner.RunAsync(spec, ResourceLog.None, ct);
            Record(exec, began, result.ExitCode == 0 ? null : $"exec exit {result.ExitCode}");
        }

        async Task HttpOnce()
        {
            var began = Stopwatch.GetTimestamp();
            string? failure;
            try
            {
                using var response = await client.GetAsync(url, ct);
                failure = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                failure = $"HTTP {ex.GetType().Name}";
            }

            Record(http, began, failure);
        }

        void Record(List<double> into, long began, string? failure)
        {
            lock (into) into.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            if (failure is not null) lock (failures) failures.Add($"{replica.Name}: {failure}");
        }
    }

    private static string Row(string name, List<double> samples, TimeSpan timeout)
    {
        var stats = LatencyStats.From([.. samples]);
        var over = samples.Count(ms => ms >= timeout.TotalMilliseconds);
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: n {stats.Count}, p50 {stats.P50Ms:F1} ms, p99 {stats.P99Ms:F1} ms, max {stats.MaxMs:F1} ms, at/over the {timeout.TotalSeconds:0} s timeout {over}; p99 is {stats.P99Ms / timeout.TotalMilliseconds:P1} of the timeout");
    }
}
