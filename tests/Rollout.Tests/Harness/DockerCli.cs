using System.Globalization;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// The few docker CLI calls the harness needs, through the AppHost's <see cref="IProcessRunner"/> (a test fixture
/// may shell out; the product talks to the Engine API through its own client).
/// </summary>
public sealed class DockerCli(IProcessRunner runner)
{
    /// <summary>Runs <c>docker args</c> and throws with the command line, exit code and stderr when it fails.</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var spec = new ProcessSpec("docker", args) { Environment = environment ?? new Dictionary<string, string?>() };
        var result = await runner.RunCheckedAsync(spec, ResourceLog.None, cancellationToken).ConfigureAwait(false);
        return result.Output.Trim();
    }

    /// <summary>The host port (on 127.0.0.1) a container publishes for <paramref name="containerPort"/>/tcp.</summary>
    public async Task<int> HostPortAsync(string container, int containerPort, CancellationToken cancellationToken)
    {
        var output = await RunAsync(["port", container, $"{containerPort}/tcp"], cancellationToken).ConfigureAwait(false);
        var first = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return int.Parse(first[(first.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <paramref name="command"/> in the container (<c>docker exec</c>) and returns its exit code.</summary>
    public async Task<int> ExecAsync(string container, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec("docker", ["exec", container, .. command]), ResourceLog.None, cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <summary>Whether the container's process is running (false also when it is gone).</summary>
    public async Task<bool> IsRunningAsync(string container, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec("docker", ["inspect", "-f", "{{.State.Running}}", container]), ResourceLog.None, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 && string.Join("", result.StandardOutput).Trim() == "true";
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, KILL) to the container's main process.</summary>
    public Task KillAsync(string container, string signal, CancellationToken cancellationToken) =>
        RunAsync(["kill", "--signal", signal, container], cancellationToken);

    /// <summary>Waits for the container to exit and returns its exit code, or null when <paramref name="timeout"/> passes first.</summary>
    public async Task<int?> WaitExitAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : timeout);
        try
        {
            var output = await RunAsync(["wait", container], deadline.Token).ConfigureAwait(false);
            return int.Parse(output, CultureInfo.InvariantCulture);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The last lines of a container's output, for failure messages.</summary>
    public async Task<string> LogsAsync(string container, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec("docker", ["logs", "--tail", "40", container]), ResourceLog.None, cancellationToken).ConfigureAwait(false);
        return string.Join('\n', result.StandardOutput.Concat(result.StandardError));
    }

    /// <summary>Force-removes every container carrying <c>label</c> (ours only), ignoring errors: cleanup must not throw.</summary>
    public async Task RemoveContainersByLabelAsync(string label, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(new ProcessSpec("docker", ["ps", "-aq", "--filter", $"label={label}"]), ResourceLog.None, cancellationToken).ConfigureAwait(false);
        var ids = result.StandardOutput.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        if (ids.Count > 0)
        {
            await runner.RunAsync(new ProcessSpec("docker", ["rm", "-f", "-v", .. ids]), ResourceLog.None, cancellationToken).ConfigureAwait(false);
        }
    }
}
