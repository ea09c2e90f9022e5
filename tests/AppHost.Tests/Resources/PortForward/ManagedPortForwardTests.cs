using System.Diagnostics;
using System.Globalization;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Resources.PortForward;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.PortForward;

/// <summary>
/// The managed URL during a rollout: two real SampleApi processes are the old and the new pod (each drains on SIGTERM as
/// in the cluster); the API server's list, watch and port-forward are <see cref="ProcessPods"/> (the one part that needs
/// a cluster; the real pods/portforward WebSocket through KubernetesClient has no test yet).
/// </summary>
public sealed class ManagedPortForwardTests
{
    private const string Selector = "app.kubernetes.io/name=sampleapi";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_local_url_keeps_answering_through_a_rollout_with_no_failed_request_and_moves_to_the_new_pod()
    {
        var (oldPort, newPort) = (FreePort.Next(), FreePort.Next());
        await using var oldPod = await SampleApiPods.StartAsync(oldPort, Ct);
        var pods = new ProcessPods("default", Selector);
        pods.Ready("sampleapi-1-old", oldPort, DateTime.UtcNow.AddMinutes(-5));

        var localPort = FreePort.Next();
        await using var forward = new ManagedPortForward(pods, "default", Selector, 8080, localPort);
        var moves = new List<PortForwardRetarget>();
        forward.Retargeted += r => { lock (moves) { moves.Add(r); } };
        await forward.StartAsync(Ct);
        Assert.Equal(new Uri($"http://127.0.0.1:{localPort}/"), forward.Url);
        Assert.Equal("sampleapi-1-old", forward.CurrentPod);

        // Requests all through the rollout, on pooled keep-alive connections as a browser or a client would.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var failures = new List<string>();
        long answered = 0, answeredAfterOldExit = 0;
        var oldExited = false;
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var body = await http.GetStringAsync(forward.Url, stop.Token);
                    Assert.Equal("Hello, World!", body);
                    Interlocked.Increment(ref answered);
                    if (Volatile.Read(ref oldExited))
                    {
                        Interlocked.Increment(ref answeredAfterOldExit);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    lock (failures) { failures.Add(ex.GetType().Name + ": " + ex.Message); }
                }

                await Task.Delay(10, CancellationToken.None);
            }
        }, CancellationToken.None);

        await Task.Delay(500, Ct);
        // The rollout: the new pod becomes ready, then the old one is deleted (marked, then SIGTERM: it drains and exits).
        await using var newPod = await SampleApiPods.StartAsync(newPort, Ct);
        pods.Ready("sampleapi-2-new", newPort, DateTime.UtcNow);
        await Task.Delay(300, Ct);
        Assert.Equal("sampleapi-1-old", forward.CurrentPod); // a ready current pod is kept: no needless move
        pods.Terminating("sampleapi-1-old");
        using (var term = Process.Start("kill", ["-TERM", oldPod.Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync(Ct);
        }

        using var oldProcess = Process.GetProcessById(oldPod.Pid);
        await oldProcess.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Volatile.Write(ref oldExited, true);
        pods.Deleted("sampleapi-1-old");
        var clock = Stopwatch.StartNew();
        while (Interlocked.Read(ref answeredAfterOldExit) < 20 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100, Ct);
        }

        await stop.CancelAsync();
        await load.WaitAsync(TimeSpan.FromSeconds(15), Ct);

        lock (failures)
        {
            Assert.True(failures.Count == 0, $"{failures.Count} of {answered + failures.Count} requests failed: {string.Join("; ", failures.Distinct().Take(5))}");
        }

        Assert.True(answeredAfterOldExit >= 20, $"only {answeredAfterOldExit} requests answered after the old pod exited ({answered} in all)");
        Assert.Equal("sampleapi-2-new", forward.CurrentPod);
        Assert.Equal(0, forward.Counts.Failed);
        Assert.True(pods.Opened.GetValueOrDefault("sampleapi-2-new") > 0, "no connection reached the new pod");
        lock (moves)
        {
            Assert.Contains(moves, m => m is { From: "sampleapi-1-old", To: "sampleapi-2-new" } && m.Why == "pod sampleapi-1-old is terminating");
        }
    }

    [Fact]
    public async Task With_no_ready_pod_a_connection_waits_for_one_and_is_then_served()
    {
        var pods = new ProcessPods("default", Selector);
        await using var forward = new ManagedPortForward(pods, "default", Selector, 8080, FreePort.Next());
        await forward.StartAsync(Ct);
        Assert.Null(forward.CurrentPod);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var request = http.GetStringAsync(forward.Url, Ct);
        var port = FreePort.Next();
        await using var pod = await SampleApiPods.StartAsync(port, Ct);
        Assert.False(request.IsCompleted);
        pods.Ready("sampleapi-1-a", port, DateTime.UtcNow);

        Assert.Equal("Hello, World!", await request.WaitAsync(TimeSpan.FromSeconds(20), Ct));
    }
}
