using System.Diagnostics;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// Runs the agent as a process on this host, next to an app that runs here too: the harness where no cluster runs (its
/// pods are local processes or containers whose diagnostic socket and process ids this host sees), and local runs.
/// <paramref name="resolvePid"/> says which process a pod is, or null when the pod is gone.
/// </summary>
/// <param name="agentExecutable">The agent's executable (AppHost/DevEnv.Diagnostics.Agent's build output).</param>
/// <param name="resolvePid">The pod's app process id on this host, or null when it is not there.</param>
public sealed class LocalAgentRunner(string agentExecutable, Func<PodTarget, int?> resolvePid) : IPodAgentRunner
{
    /// <inheritdoc />
    public async Task<int> RunAsync(PodTarget pod, string toolsImage, IReadOnlyList<string> arguments, Stream output, Action<string> onMessage, CancellationToken cancellationToken)
    {
        var pid = resolvePid(pod) ?? throw new PodGoneException($"pod {pod.Pod} is gone");
        var start = new ProcessStartInfo(agentExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--pid");
        start.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                onMessage(line);
            }
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"the diagnostics agent {agentExecutable} could not start: {ex.Message} (build AppHost/DevEnv.Diagnostics.Agent)", ex);
        }

        process.BeginErrorReadLine();
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(output, 1 << 20, cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return process.ExitCode;
    }
}
