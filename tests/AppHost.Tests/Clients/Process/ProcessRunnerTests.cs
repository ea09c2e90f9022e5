using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Clients.Process;

public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner _runner = new();

    [Fact]
    public async Task Captures_stdout_and_stderr_line_by_line_into_the_resource_log()
    {
        var logs = new TestLogs();
        var spec = new ProcessSpec("sh", ["-c", "echo one; echo two >&2; echo three"]);

        var result = await _runner.RunAsync(spec, logs.For("r"), TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["one", "three"], result.StandardOutput);
        Assert.Equal(["two"], result.StandardError);
        var lines = logs.GetBacklog("r");
        Assert.Contains(lines, l => l.Text == "two" && l.IsError);
        Assert.Contains(lines, l => l.Text.StartsWith("$ sh -c", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Non_zero_exit_throws_with_a_pasteable_command_the_exit_code_and_stderr()
    {
        var spec = new ProcessSpec("sh", ["-c", "echo 'it broke' >&2; exit 3"]);

        var ex = await Assert.ThrowsAsync<ProcessFailedException>(
            () => _runner.RunCheckedAsync(spec, ResourceLog.None, TestContext.Current.CancellationToken));

        Assert.Contains("exit code 3", ex.Message);
        Assert.Contains("sh -c 'echo '\\''it broke'\\'' >&2; exit 3'", ex.Message);
        Assert.Contains("it broke", ex.Message);
    }

    [Fact]
    public async Task Missing_program_throws_tool_not_found()
    {
        var ex = await Assert.ThrowsAsync<ToolNotFoundException>(
            () => _runner.RunAsync(new ProcessSpec("devenv-no-such-tool", []), ResourceLog.None, TestContext.Current.CancellationToken));

        Assert.Equal("devenv-no-such-tool", ex.Tool);
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"devenv-tree-{Guid.NewGuid():N}");
        // The child sleeps, then writes the marker; if the tree is killed the marker never appears.
        var spec = new ProcessSpec("sh", ["-c", $"(sleep 2; touch {marker}) & wait"]);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(spec, ResourceLog.None, cts.Token));
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);

        Assert.False(File.Exists(marker), "the grandchild survived cancellation");
    }

    [Fact]
    public async Task Cancellation_with_an_interrupt_grace_lets_the_program_clean_up_on_sigint_first()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"devenv-sigint-{Guid.NewGuid():N}");
        // As kind would: catch the interrupt, clean up, exit. Killed at once, the trap never runs.
        var spec = new ProcessSpec("sh", ["-c", $"trap 'echo cleaned > {marker}; exit 130' INT; echo ready; sleep 30 & wait"])
        {
            InterruptGrace = TimeSpan.FromSeconds(10),
        };
        var logs = new TestLogs();
        using var cts = new CancellationTokenSource();
        var run = _runner.RunAsync(spec, logs.For("r"), cts.Token, (line, _) =>
        {
            if (line == "ready")
            {
                cts.CancelAfter(200);
            }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // It exited on its own, well inside its grace (the sleeping child still holds the output pipe: not waited for).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.DoesNotContain(logs.GetBacklog("r"), l => l.Text.Contains("did not exit within", StringComparison.Ordinal));
        Assert.Equal("cleaned", (await File.ReadAllTextAsync(marker, TestContext.Current.CancellationToken)).Trim());
        Assert.Contains(logs.GetBacklog("r"), l => l.Text.StartsWith("interrupted sh (pid ", StringComparison.Ordinal));
        File.Delete(marker);
    }

    [Fact]
    public async Task A_program_that_ignores_the_interrupt_is_killed_when_its_grace_is_over()
    {
        var spec = new ProcessSpec("sh", ["-c", "trap '' INT; echo ready; sleep 30"]) { InterruptGrace = TimeSpan.FromSeconds(1) };
        var logs = new TestLogs();
        using var cts = new CancellationTokenSource();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = _runner.RunAsync(spec, logs.For("r"), cts.Token, (line, _) =>
        {
            if (line == "ready")
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
        Assert.Contains(logs.GetBacklog("r"), l => l.IsError && l.Text == "sh did not exit within 1 s of the interrupt; killing it");
    }
}
