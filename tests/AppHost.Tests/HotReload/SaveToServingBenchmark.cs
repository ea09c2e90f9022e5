using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using DevEnv.AppHost.Tests.Resources.Image;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.HotReload;
using DevEnv.Hosting.Model;

namespace DevEnv.AppHost.Tests.HotReload;

/// <summary>
/// Save → serving, measured (run by scripts/bench/hot-reload.sh, skipped otherwise): three real SampleApi replicas
/// under a trickle of traffic that counts failed requests; each edit changes the root endpoint's text and the clock
/// runs from the file write until every replica in rotation answers the new text. Hot Reload (dotnet-watch's deltas
/// through the channel) against the rebuild loop in the same run: a build of the edit, then a rolling replacement of
/// the replicas, each new one in rotation once it answers (no image and no registry here, so the conventional figure is
/// a lower bound of docker build + push + rollout).
/// </summary>
public sealed class SaveToServingBenchmark
{
    private const string Workload = "sampleapi";

    [Fact]
    public async Task Hot_Reload_and_the_rebuild_loop_from_save_to_serving()
    {
        var report = Environment.GetEnvironmentVariable("DEVENV_HOTRELOAD_BENCH_OUT");
        if (string.IsNullOrEmpty(report))
        {
            Assert.Skip("A benchmark: scripts/bench/hot-reload.sh runs it (it prints figures, it asserts no speed).");
        }

        var edits = int.Parse(Environment.GetEnvironmentVariable("DEVENV_HOTRELOAD_BENCH_EDITS") ?? "10", CultureInfo.InvariantCulture);
        var cancellation = TestContext.Current.CancellationToken;
        using var workspace = new SampleApiWorkspace();
        var log = new ConcurrentQueue<string>();
        using var key = ChannelKey.CreateEphemeral();
        await using var channel = new PodUpdateChannel(new IPEndPoint(IPAddress.Loopback, 0), key, log.Enqueue);
        channel.Start();
        channel.SetBaseline(Workload, "build1");
        var built = new TaskCompletionSource();
        var loop = new HotReloadLoop(Workload, workspace.ProjectFile, "linux-x64", Path.Combine(workspace.Root, ".hotreload"), channel,
            (_, _) => { built.TrySetResult(); return Task.FromResult("build1"); }, log.Enqueue);
        loop.Start();
        await built.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellation);

        var bin = Path.Combine(workspace.Root, "SampleApi", "bin", "Debug", "net10.0", "linux-x64");
        await using var replicas = new ReplicaSet(DeltaApplierFile.Locate(workspace.Root), channel, key, Workload, "build1") { Executable = Path.Combine(bin, "SampleApi") };
        for (var i = 0; i < 3; i++)
        {
            await replicas.AddAsync(cancellation);
        }

        var helloFile = workspace.HelloFile;
        using var traffic = new Trickle(replicas.NextAddress);
        var hotReload = new List<double>();
        var text = "Hello, World!";
        for (var i = 1; i <= edits; i++)
        {
            var next = $"Hello, hot edit {i}!";
            hotReload.Add(await EditUntilServedAsync(workspace, helloFile, replicas, text, next, () => Task.CompletedTask, cancellation));
            text = next;
        }

        var hotReloadTraffic = traffic.Snapshot();
        await loop.DisposeAsync();

        var rebuild = new List<double>();
        var runner = new ProcessRunner();
        for (var i = 1; i <= edits; i++)
        {
            var next = $"Hello, rebuilt edit {i}!";
            var output = Path.Combine(workspace.Root, "conventional", i.ToString(CultureInfo.InvariantCulture)) + "/";
            rebuild.Add(await EditUntilServedAsync(workspace, helloFile, replicas, text, next, async () =>
            {
                await runner.RunCheckedAsync(new ProcessSpec("dotnet",
                [
                    "build", workspace.ProjectFile, "-c", "Debug", .. DotnetWatchSession.BuildProperties("linux-x64").Select(p => $"-p:{p.Key}={p.Value}"),
                    $"-p:OutputPath={output}", "-nologo", "-v:q", "-clp:ErrorsOnly",
                ]) { WorkingDirectory = workspace.Root }, ResourceLog.None, cancellation);
                replicas.Executable = Path.Combine(output, "SampleApi");
                await replicas.RollAsync(cancellation);
            }, cancellation));
            text = next;
        }

        var total = traffic.Snapshot();
        var lines = new List<string>
        {
            $"3 replicas, {edits} edits per path, trickle of {Trickle.PerSecond} req/s round robin over the replicas in rotation",
            $"{"path",-38} {"p50",8} {"p90",8} {"max",8}  failed requests",
            Row("Hot Reload (dotnet-watch deltas)", hotReload, $"{hotReloadTraffic.Failed} of {hotReloadTraffic.Total}"),
            Row("rebuild + rolling replacement", rebuild, $"{total.Failed - hotReloadTraffic.Failed} of {total.Total - hotReloadTraffic.Total}"),
            $"ratio (p50 Hot Reload / p50 rebuild): {Percentile(hotReload, 50) / Percentile(rebuild, 50):0.00}",
        };
        await File.WriteAllLinesAsync(report, lines, cancellation);
        Assert.Equal(edits, hotReload.Count);
    }

    private static async Task<double> EditUntilServedAsync(SampleApiWorkspace workspace, string helloFile, ReplicaSet replicas, string from, string to, Func<Task> afterSave, CancellationToken cancellationToken)
    {
        workspace.Edit(helloFile, $"\"{from}\"", $"\"{to}\"");
        var clock = Stopwatch.StartNew();
        await afterSave();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            var answers = await Task.WhenAll(replicas.InRotation.Select(r => HotReloadWait.TryGetStringAsync(http, r.Address, cancellationToken)));
            if (answers.All(a => a == to))
            {
                return clock.Elapsed.TotalSeconds;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                Assert.Fail($"the replicas did not all answer '{to}' within 3 min (they answer: {string.Join(", ", answers)})");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static string Row(string name, List<double> seconds, string failed) =>
        $"{name,-38} {Percentile(seconds, 50),7:0.00}s {Percentile(seconds, 90),7:0.00}s {seconds.Max(),7:0.00}s  {failed}";

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
