using DevEnv.Hosting.Watch;

namespace DevEnv.AppHost.Tests.Watch;

public sealed class RebuildLoopTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_change_during_a_build_cancels_it_and_many_changes_queue_one_follow_up()
    {
        var firstStarted = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource();
        var runs = new List<int>();
        var loop = new RebuildLoop(async run =>
        {
            lock (runs)
            {
                runs.Add(run.Number);
            }

            if (run.Number == 1)
            {
                firstStarted.SetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, run.BuildToken);
                }
                catch (OperationCanceledException)
                {
                    cancelled.SetResult();
                    throw;
                }
            }
        }, Ct);

        loop.Trigger();
        await firstStarted.Task.WaitAsync(Ct);
        loop.Trigger();
        loop.Trigger();
        loop.Trigger();
        await cancelled.Task.WaitAsync(Ct);
        await loop.Idle.WaitAsync(Ct);

        Assert.Equal([1, 2], runs);
        Assert.Equal(2, loop.Runs);
    }

    [Fact]
    public async Task A_change_during_the_rollout_phase_does_not_interrupt_it()
    {
        var inRollout = new TaskCompletionSource();
        var finishRollout = new TaskCompletionSource();
        var completed = new List<int>();
        var loop = new RebuildLoop(async run =>
        {
            if (run.Number == 1)
            {
                inRollout.SetResult();
                // The roll-out follows the lifetime token only, so a newer change lets it finish.
                await finishRollout.Task.WaitAsync(run.LifetimeToken);
            }

            lock (completed)
            {
                completed.Add(run.Number);
            }
        }, Ct);

        loop.Trigger();
        await inRollout.Task.WaitAsync(Ct);
        loop.Trigger();
        finishRollout.SetResult();
        await loop.Idle.WaitAsync(Ct);

        Assert.Equal([1, 2], completed);
    }

    [Fact]
    public async Task A_failed_run_does_not_stop_the_loop()
    {
        var runs = 0;
        var loop = new RebuildLoop(_ => ++runs == 1 ? throw new InvalidOperationException("CS1002") : Task.CompletedTask, Ct);

        loop.Trigger();
        await loop.Idle.WaitAsync(Ct);
        loop.Trigger();
        await loop.Idle.WaitAsync(Ct);

        Assert.Equal(2, runs);
    }
}
