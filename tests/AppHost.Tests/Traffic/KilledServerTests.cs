using DevEnv.Hosting.Traffic;

namespace DevEnv.AppHost.Tests.Traffic;

/// <summary>A real Kestrel process SIGKILLed while it holds requests: what a pod looks like at the end of its grace period.</summary>
public sealed class KilledServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_held_by_a_SIGKILLed_Kestrel_count_as_dropped_not_refused()
    {
        await using var child = await ChildKestrel.StartAsync(Ct);
        var run = await new LoadGenerator().StartAsync(new LoadOptions
        {
            Target = child.Address, RatePerSecond = 20, Duration = TimeSpan.FromSeconds(2), Paths = ["/", "/hold"],
            WarmUpLimit = TimeSpan.FromSeconds(0.5), RequestTimeout = TimeSpan.FromSeconds(10),
        }, Ct);
        LoadReport report;
        TimeSpan killStarted, killed;
        await using (run)
        {
            // Kill once the child holds a few scheduled /hold requests; the rest of the schedule meets a closed port.
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                wait.CancelAfter(TimeSpan.FromSeconds(10));
                while (HeldScheduled(child) < 5) await Task.Delay(10, wait.Token);
            }
            killStarted = run.Elapsed;
            await child.KillAsync();
            killed = run.Elapsed;
            report = await run.WaitAsync();
        }

        var held = HeldScheduled(child);
        var detail = ReportTable.Render([("run", report)]) + $"child held {held} scheduled /hold requests";
        static TimeSpan Dispatched(RequestOutcome o) => o.Scheduled + o.SchedulerLag;
        Assert.Equal(40, report.Requests);
        // Each request the dead process held is dropped (a retry would have gone to the closed port and said "refused"):
        // every /hold sent well before the kill, and at least as many as the child printed (it may not have printed all it had read).
        var heldBeforeKill = report.Outcomes.Where(o => o.Path == "/hold" && Dispatched(o) < killStarted - TimeSpan.FromMilliseconds(200)).ToList();
        Assert.True(heldBeforeKill.Count >= 3, detail);
        Assert.All(heldBeforeKill, o => Assert.True(o.Failure == FailureKind.Dropped, $"{o}\n{detail}"));
        Assert.True(report.Failures[FailureKind.Dropped] >= held, detail);
        // Nothing sent after the process was gone is dropped: those meet the closed port.
        Assert.All(report.Outcomes.Where(o => o.Failure == FailureKind.Dropped), o => Assert.True(Dispatched(o) < killed, $"{o}\n{detail}"));
        Assert.All(report.Outcomes.Where(o => Dispatched(o) > killed + TimeSpan.FromMilliseconds(100)), o => Assert.True(o.Failure == FailureKind.Refused, $"{o}\n{detail}"));
        Assert.True(report.Requests == report.Succeeded + report.Failures[FailureKind.Dropped] + report.Failures[FailureKind.Refused],
            string.Join("\n", report.Outcomes.Where(o => o.Failure is not (null or FailureKind.Dropped or FailureKind.Refused))) + "\n" + detail);
        Assert.All(report.Outcomes.Where(o => o.Path == "/" && o.Succeeded), o => Assert.True(o.StatusCode == 200));
    }

    private static int HeldScheduled(ChildKestrel child) =>
        child.Received.Count(line => line.StartsWith("got /hold ", StringComparison.Ordinal) && !line.Contains(" -", StringComparison.Ordinal));
}
