using System.Diagnostics;
using System.Globalization;
using System.Text;
using DevEnv.AppHost.Tests.HotReload;
using DevEnv.Rollout.Tests.Harness;
using DevEnv.Rollout.Tests.HotReload;

namespace DevEnv.Rollout.Tests.Bench;

/// <summary>
/// Save → serving on the stand-in cluster, run by scripts/bench/hot-reload-cluster.sh (skipped otherwise): the product's
/// Hot Reload into three replicas of its rendered Deployment (<see cref="HotReloadDeployment"/>) under a trickle of
/// traffic through the stand-in Service. The clock runs from the file write until every replica in the Service's
/// rotation answers the saved text. Two paths in the same run: method-body edits (Hot Reload), and rude edits, which
/// dotnet-watch builds afresh and the product rolls out as a new image (the rebuild path). Writes to $DEVENV_HOTRELOAD_CLUSTER_BENCH_OUT.
/// </summary>
public sealed class HotReloadClusterBenchmark(SampleApiImage image)
{
    [Fact]
    public async Task Save_to_serving_through_the_Service()
    {
        var output = Environment.GetEnvironmentVariable("DEVENV_HOTRELOAD_CLUSTER_BENCH_OUT");
        if (string.IsNullOrEmpty(output)) Assert.Skip("benchmark: run scripts/bench/hot-reload-cluster.sh (sets DEVENV_HOTRELOAD_CLUSTER_BENCH_OUT)");
        var edits = Count("DEVENV_HOTRELOAD_BENCH_EDITS", 10);
        var rebuilds = Count("DEVENV_HOTRELOAD_BENCH_REBUILDS", 3);
        var cancellation = TestContext.Current.CancellationToken;
        await using var hotReload = await HotReloadDeployment.StartAsync(image, cancellation);
        var cluster = hotReload.Cluster;
        var file = hotReload.Workspace.HelloFile;
        var text = "Hello, World!";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var trickle = new Trickle(() => cluster.ServiceUrl);

        var hot = new List<double>();
        for (var i = 1; i <= edits; i++)
        {
            var next = $"Hello, edit {i}!";
            hot.Add(await SaveToServingAsync(() => hotReload.Workspace.Edit(file, $"\"{text}\"", $"\"{next}\""), next));
            text = next;
        }

        var rebuild = new List<double>();
        for (var i = 1; i <= rebuilds; i++)
        {
            var next = $"Hello, rebuild {i}!";
            // A rude edit (a constant's value is compiled into its callers) in the same save as the text change.
            var (from, to, previous) = (i == 1 ? "MaxWorkMs = 60_000" : $"MaxWorkMs = {60_000 + i - 1}", $"MaxWorkMs = {60_000 + i}", text);
            var running = hotReload.Deployed[^1];
            // Serving once every replica in the Service's rotation runs the new image (the old pods may still be draining).
            rebuild.Add(await SaveToServingAsync(() => File.WriteAllText(file, File.ReadAllText(file)
                .Replace(from, to, StringComparison.Ordinal).Replace($"\"{previous}\"", $"\"{next}\"", StringComparison.Ordinal)), next,
                () => cluster.Proxy.InRotation().All(r => r.Spec.Image != running)));
            await HotReloadWait.UntilAsync(() => hotReload.Deployed[^1] != running, "the rolling update to finish", hotReload.Log);
            text = next;
        }

        var (total, failed) = trickle.Snapshot();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"## Save -> serving on the stand-in cluster: the product's rendered Deployment, {cluster.Deployment.Template.Replicas} replicas, {Trickle.PerSecond} req/s through the Service");
        report.AppendLine("| path | edits | p50 | p90 | max |");
        report.AppendLine("|---|---|---|---|---|");
        report.AppendLine(Row("Hot Reload (method-body edit)", hot));
        report.AppendLine(Row("rebuild (rude edit: dotnet watch builds, image, rolling update)", rebuild));
        report.AppendLine(CultureInfo.InvariantCulture, $"requests through the Service: {total:N0}, failed: {failed}");
        report.AppendLine(CultureInfo.InvariantCulture, $"ratio Hot Reload / rebuild (p50): {Percentile(hot, 50) / Percentile(rebuild, 50):0.00}");
        await File.WriteAllTextAsync(output, report.ToString(), cancellation);
        TestContext.Current.TestOutputHelper?.WriteLine(report + "\n" + cluster.Describe() + "\n" + string.Join('\n', hotReload.Log));
        Assert.Equal(0, failed);

        // From the write to every replica in the Service's rotation answering the text (and, for a rebuild, the new image out).
        async Task<double> SaveToServingAsync(Action save, string expected, Func<bool>? rolledOut = null)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            var clock = Stopwatch.StartNew();
            hotReload.Log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} saved: \"{expected}\"");
            save();
            await HotReloadWait.UntilAsync(async () =>
            {
                if (rolledOut is not null && !rolledOut())
                {
                    return false;
                }

                var rotation = cluster.Proxy.InRotation();
                foreach (var replica in rotation)
                {
                    if (await HotReloadWait.TryGetStringAsync(http, new Uri($"http://127.0.0.1:{replica.HostPort}/"), cancellation) != expected)
                    {
                        return false;
                    }
                }

                return rotation.Count > 0;
            }, $"every replica answering \"{expected}\"", hotReload.Log);
            return clock.Elapsed.TotalSeconds;
        }
    }

    private static string Row(string path, List<double> seconds) => string.Create(CultureInfo.InvariantCulture,
        $"| {path} | {seconds.Count} | {Percentile(seconds, 50):0.00} s | {Percentile(seconds, 90):0.00} s | {seconds.Max():0.00} s |");

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static int Count(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
