using System.Collections.Concurrent;
using System.Diagnostics;
using DevEnv.SampleApi.Tests.Infrastructure;

namespace DevEnv.SampleApi.Tests.Shutdown;

/// <summary>
/// The published SampleApi under concurrent load, stopped the way Kubernetes stops a pod: SIGTERM alone,
/// or the exec pre-stop hook (the app's own subcommand) followed by SIGTERM.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed class GracefulShutdownTests(PublishedApp app)
{
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);
    // Load balancers are modelled as having caught up this long before the drain delay ends.
    private static readonly TimeSpan LoadBalancerMargin = TimeSpan.FromMilliseconds(400);
    // DEVENV_TIMING_ALLOWANCE_MS overrides it (0 on a quiet machine makes the 100 ms check strict).
    private static readonly TimeSpan SchedulingAllowance = TimeSpan.FromMilliseconds(
        int.TryParse(Environment.GetEnvironmentVariable("DEVENV_TIMING_ALLOWANCE_MS"), out var ms) ? ms : 150);

    [Fact]
    public async Task SigtermUnderLoad_ServesEveryAcceptedRequest_TurnsUnreadyAtOnce_StaysLive_Exits0()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var instance = AppInstance.Start(app, DrainDelay, ShutdownTimeout);
        await instance.WaitUntilReadyAsync(ct);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var load = new LoadGenerator(client, clock);
        load.Start("/", loops: 3, TimeSpan.FromMilliseconds(5), ct);
        load.Start("/work?ms=1000", loops: 2, TimeSpan.Zero, ct);
        await Task.Delay(1200, ct); // every /work loop has a request in flight now

        var sigtermAt = clock.Elapsed;
        instance.Terminate();
        load.StopSendingAt = sigtermAt + DrainDelay - LoadBalancerMargin;

        var probes = new ProbeRecorder(instance, clock);
        var readiness = probes.PollHttpAsync("/healthz/ready", load.StopSendingAt, ct);
        var liveness = probes.PollHttpAsync("/healthz/live", load.StopSendingAt, ct);
        var liveCommand = probes.RunProbeCommandUntilExitAsync("live", ct);
        var readyCommand = instance.RunCommandAsync(["probe", "ready"], ct);
        // Sent late in the drain delay, so it is still running when the server stops accepting.
        var late = DelayedAsync(sigtermAt + DrainDelay - TimeSpan.FromMilliseconds(500), () => load.SendAsync("/work?ms=1000", ct), clock, ct);

        var exitCode = await instance.WaitForExitAsync(DrainDelay + ShutdownTimeout + TimeSpan.FromSeconds(5), ct);
        var exitedAt = clock.Elapsed;
        await load.WhenStoppedAsync();
        await Task.WhenAll(readiness, liveness, liveCommand, late);
        var log = instance.Output();

        Assert.Equal(0, exitCode);
        Assert.InRange(exitedAt - sigtermAt, DrainDelay, DrainDelay + ShutdownTimeout);
        AssertAllSucceeded(load.Outcomes, log);
        Assert.Contains(load.Outcomes, o => o.Path == "/" && o.SentAt > sigtermAt + TimeSpan.FromMilliseconds(100));
        var lateOutcome = await late;
        Assert.True(lateOutcome.Succeeded && lateOutcome.CompletedAt > sigtermAt + DrainDelay,
            $"the request in flight when the server stopped accepting must finish with 200: {lateOutcome}\n{log}");

        AssertUnreadyWithin100Ms(await readiness, sigtermAt, log);
        var readyAfterSigterm = await readyCommand;
        Assert.True(readyAfterSigterm.ExitCode == 1, $"probe ready while draining: {readyAfterSigterm}");
        Assert.All(await liveness, p => Assert.Equal(200, p.Status));
        AssertLiveUntilExit(await liveCommand, sigtermAt, exitedAt, log);

        var drainStarted = Assert.Single(instance.LogEvents(1001));
        Assert.True(drainStarted.GetProperty("State").GetProperty("InFlight").GetInt32() >= 2, $"in-flight count at drain start: {drainStarted}");
        Assert.Single(instance.LogEvents(1006)); // "Process exiting"
    }

    [Fact]
    public async Task PreStopThenSigterm_DrainsDuringPreStop_AndWaitsOnlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        // A longer delay than the in-flight work, so waiting twice could not hide inside the work.
        var drainDelay = TimeSpan.FromSeconds(3);
        await using var instance = AppInstance.Start(app, drainDelay, ShutdownTimeout);
        await instance.WaitUntilReadyAsync(ct);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var load = new LoadGenerator(client, clock);
        load.Start("/", loops: 2, TimeSpan.FromMilliseconds(5), ct);
        load.Start("/work?ms=1000", loops: 2, TimeSpan.Zero, ct);
        await Task.Delay(1200, ct);

        var preStopAt = clock.Elapsed;
        load.StopSendingAt = preStopAt + drainDelay - LoadBalancerMargin;
        var readiness = new ProbeRecorder(instance, clock).PollHttpAsync("/healthz/ready", load.StopSendingAt, ct);
        // The command is a new process: the request reaches the app when it drops its request file.
        var requestedAt = preStopAt;
        using var watcher = new FileSystemWatcher(instance.StateDirectory, "*.prestop");
        watcher.Created += (_, _) => requestedAt = clock.Elapsed;
        watcher.EnableRaisingEvents = true;
        var result = await instance.RunCommandAsync(["prestop"], ct);
        Assert.True(result.ExitCode == 0, $"prestop command: {result}\n{instance.Output()}");
        Assert.NotEqual(preStopAt, requestedAt);

        var sigtermAt = clock.Elapsed;
        // The hook returns only once the drain delay is over (the command notices the request on a heartbeat).
        Assert.InRange(sigtermAt - requestedAt, drainDelay - TimeSpan.FromMilliseconds(50), drainDelay + TimeSpan.FromSeconds(2));
        instance.Terminate();
        var exitCode = await instance.WaitForExitAsync(drainDelay + ShutdownTimeout + TimeSpan.FromSeconds(5), ct);
        var exitedAt = clock.Elapsed;
        await load.WhenStoppedAsync();
        var log = instance.Output();

        Assert.Equal(0, exitCode);
        // Waiting once: only the last /work (at most 1 s) is left to finish after SIGTERM, not another 3 s delay.
        Assert.True(exitedAt - sigtermAt < drainDelay - TimeSpan.FromMilliseconds(500),
            $"SIGTERM after pre-stop must not wait the drain delay again: exited {(exitedAt - sigtermAt).TotalMilliseconds:0} ms after SIGTERM\n{log}");
        AssertAllSucceeded(load.Outcomes, log);
        Assert.Contains(load.Outcomes, o => o.Path == "/" && o.SentAt > preStopAt + TimeSpan.FromSeconds(1));
        AssertUnreadyWithin100Ms(await readiness, requestedAt, log);
        Assert.Single(instance.LogEvents(1001)); // drain started once
        Assert.Single(instance.LogEvents(1002)); // SIGTERM found it already draining
    }

    [Fact]
    public async Task SecondSigterm_DoesNotCutInFlightRequestsShort()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var instance = AppInstance.Start(app, TimeSpan.FromMilliseconds(500), ShutdownTimeout);
        await instance.WaitUntilReadyAsync(ct);
        using var client = new HttpClient { BaseAddress = instance.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        var load = new LoadGenerator(client, clock);
        var work = load.SendAsync("/work?ms=2000", ct);
        await Task.Delay(300, ct);

        instance.Terminate();
        await Task.Delay(100, ct);
        instance.Terminate();
        await Task.Delay(700, ct); // past the drain delay: the host is stopping, the request still running
        instance.Terminate();

        Assert.Equal(0, await instance.WaitForExitAsync(TimeSpan.FromSeconds(20), ct));
        var outcome = await work;
        Assert.True(outcome.Succeeded, $"{outcome}\n{instance.Output()}");
        Assert.Equal(2, instance.LogEvents(1004).Count); // the later signals were logged and ignored
    }

    internal static void AssertAllSucceeded(IReadOnlyList<RequestOutcome> outcomes, string log)
    {
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        Assert.True(failed.Count == 0,
            $"{failed.Count} of {outcomes.Count} requests failed:\n{string.Join('\n', failed.Take(20))}\n{log}");
        Assert.NotEmpty(outcomes);
    }

    private static void AssertUnreadyWithin100Ms(IReadOnlyList<RequestOutcome> polls, TimeSpan drainAt, string log)
    {
        // Tolerant: what counts is the answer to every probe sent after the deadline, not how quickly this
        // machine managed to send the first one. The deadline is the 100 ms target plus an allowance for
        // signal delivery and scheduling on a shared 2-core machine (load averages above 10 were seen);
        // the measured figure is reported either way.
        var deadline = drainAt + TimeSpan.FromMilliseconds(100) + SchedulingAllowance;
        var due = polls.Where(p => p.SentAt >= deadline).ToList();
        var first503 = polls.FirstOrDefault(p => p.Status == 503);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"first readiness 503 was sent {(first503?.SentAt - drainAt)?.TotalMilliseconds:0} ms after drain start");
        Assert.NotEmpty(due);
        Assert.True(due.All(p => p.Status == 503), $"readiness after drain start:\n{string.Join('\n', polls)}\n{log}");
    }

    private static void AssertLiveUntilExit(IReadOnlyList<(TimeSpan Started, TimeSpan Finished, CommandResult Result)> runs,
        TimeSpan sigtermAt, TimeSpan exitedAt, string log)
    {
        // A run that overlaps the exit itself may find the state file already removed; every earlier one must pass.
        var beforeExit = runs.Where(r => r.Finished < exitedAt - TimeSpan.FromMilliseconds(100)).ToList();
        Assert.Contains(beforeExit, r => r.Started > sigtermAt);
        Assert.True(beforeExit.All(r => r.Result.ExitCode == 0),
            $"probe live must pass until exit:\n{string.Join('\n', runs.Select(r => $"{r.Started.TotalMilliseconds:0}-{r.Finished.TotalMilliseconds:0}: {r.Result}"))}\n{log}");
    }

    private static async Task<RequestOutcome> DelayedAsync(TimeSpan at, Func<Task<RequestOutcome>> send, Stopwatch clock, CancellationToken ct)
    {
        var wait = at - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }

        return await send();
    }
}
