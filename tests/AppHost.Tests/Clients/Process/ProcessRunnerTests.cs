using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;

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
}
