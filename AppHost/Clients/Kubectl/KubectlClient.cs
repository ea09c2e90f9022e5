using System.Text;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Clients.Kubectl;

/// <summary>Runs kubectl through <see cref="IProcessRunner"/>, always with our kubeconfig and context.</summary>
public sealed class KubectlClient(IProcessRunner runner, KubectlArguments arguments, string executable = "kubectl") : IKubectlClient
{
    /// <summary>Appended to "'kubectl' was not found on PATH."</summary>
    public const string InstallHint =
        "Install kubectl (https://kubernetes.io/docs/tasks/tools/): Debian/Ubuntu `apt-get install kubectl` from " +
        "pkgs.k8s.io (or `kubernetes-client`), macOS `brew install kubectl`, Windows `winget install Kubernetes.kubectl`. " +
        "Any version within one minor of the cluster (1.35-1.37 for Kubernetes 1.36) works.";

    private const int LogTailLines = 15;
    private const int MaxPodsDescribed = 3;

    /// <inheritdoc />
    public async Task<string> GetClientVersionAsync(ResourceLog log, CancellationToken cancellationToken) =>
        (await RunAsync(arguments.ClientVersion(), log, cancellationToken).ConfigureAwait(false)).Output;

    /// <inheritdoc />
    public Task ApplyAsync(string yaml, ResourceLog log, CancellationToken cancellationToken) =>
        RunAsync(arguments.ApplyServerSide(), log, cancellationToken, standardInput: yaml);

    /// <inheritdoc />
    public async Task<IReadOnlyList<NodeState>> GetNodesAsync(ResourceLog log, CancellationToken cancellationToken) =>
        KubectlJson.ParseNodes((await RunAsync(arguments.GetNodes(), Quiet(log), cancellationToken).ConfigureAwait(false)).Output);

    /// <inheritdoc />
    public async Task<bool> WaitForNodesReadyAsync(TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken) =>
        (await RunUncheckedAsync(new ProcessSpec(executable, arguments.WaitNodesReady(timeout)), log, cancellationToken).ConfigureAwait(false)).ExitCode == 0;

    /// <inheritdoc />
    public async Task WaitForRolloutAsync(string deployment, string podSelector, TimeSpan timeout, ResourceLog log, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(executable, arguments.RolloutStatus(deployment, timeout));
        var result = await RunUncheckedAsync(spec, log, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return;
        }

        var failure = new ProcessFailedException(result);
        IReadOnlyList<PodState> failing = [];
        var message = new StringBuilder(
            $"Deployment '{deployment}' did not finish rolling out within {KubectlArguments.Seconds(timeout)}: " +
            $"{result.StandardError.LastOrDefault() ?? result.StandardOutput.LastOrDefault() ?? "kubectl rollout status failed"}");
        try
        {
            var pods = await GetPodsAsync(podSelector, log, cancellationToken).ConfigureAwait(false);
            failing = pods.Where(p => !p.Ready && !p.Terminating).ToArray();
            foreach (var pod in failing.Take(MaxPodsDescribed))
            {
                await DescribeAsync(pod, message, log, cancellationToken).ConfigureAwait(false);
            }

            if (failing.Count == 0)
            {
                message.Append("\nNo pod is failing; the rollout may just be slow (raise the timeout) or blocked by quota.");
            }
        }
        catch (ProcessFailedException ex)
        {
            // The cluster may be what is broken; say so rather than hiding the original failure.
            message.Append("\nCould not read the pods' state: ").Append(ex.Message);
        }

        throw new RolloutFailedException(deployment, message.ToString(), failing, failure);
    }

    /// <inheritdoc />
    public Task RestartRolloutAsync(string deployment, ResourceLog log, CancellationToken cancellationToken) =>
        RunAsync(arguments.RolloutRestart(deployment), log, cancellationToken);

    /// <inheritdoc />
    public Task ScaleAsync(string deployment, int replicas, ResourceLog log, CancellationToken cancellationToken) =>
        RunAsync(arguments.Scale(deployment, replicas), log, cancellationToken);

    /// <inheritdoc />
    public async Task<DeploymentState?> GetDeploymentAsync(string deployment, ResourceLog log, CancellationToken cancellationToken)
    {
        var result = await RunUncheckedAsync(new ProcessSpec(executable, arguments.GetDeployment(deployment)), Quiet(log), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            return result.Error.Contains("NotFound", StringComparison.Ordinal) ? null : throw new ProcessFailedException(result);
        }

        return KubectlJson.ParseDeployment(result.Output);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PodState>> GetPodsAsync(string selector, ResourceLog log, CancellationToken cancellationToken)
    {
        var pods = await RunAsync(arguments.GetPods(selector), Quiet(log), cancellationToken).ConfigureAwait(false);
        var events = await GetEventsAsync(null, log, cancellationToken).ConfigureAwait(false);
        return KubectlJson.ParsePods(pods.Output, events);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KubeEvent>> GetEventsAsync(string? podName, ResourceLog log, CancellationToken cancellationToken) =>
        KubectlJson.ParseEvents((await RunAsync(arguments.GetEvents(podName), Quiet(log), cancellationToken).ConfigureAwait(false)).Output);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetLogTailAsync(string pod, int lines, bool previous, ResourceLog log, CancellationToken cancellationToken)
    {
        var result = await RunUncheckedAsync(new ProcessSpec(executable, arguments.LogTail(pod, lines, previous)), Quiet(log), cancellationToken).ConfigureAwait(false);
        // A container that never started has no logs; that is an answer, not an error.
        return result.ExitCode == 0 ? result.StandardOutput : [];
    }

    /// <inheritdoc />
    public async Task StreamLogsAsync(string selector, Action<string> onLine, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(executable, arguments.StreamLogs(selector, maxPods: 20));
        try
        {
            await RunUncheckedAsync(spec, ResourceLog.None, cancellationToken, (line, _) => onLine(line)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Following logs ends by cancellation; the runner has killed kubectl.
        }
    }

    private async Task DescribeAsync(PodState pod, StringBuilder message, ResourceLog log, CancellationToken cancellationToken)
    {
        message.Append($"\n\nPod {pod.Name}: phase {pod.Phase}, ready {pod.Ready}, restarts {pod.Restarts}");
        if (pod.StateReason is not null)
        {
            message.Append($", {pod.StateReason}");
            if (!string.IsNullOrEmpty(pod.StateMessage))
            {
                message.Append($" ({pod.StateMessage})");
            }
        }

        var events = await GetEventsAsync(pod.Name, log, cancellationToken).ConfigureAwait(false);
        foreach (var e in events.Where(e => e.Type == "Warning").TakeLast(8))
        {
            message.Append("\n  event: ").Append(e);
        }

        // After a crash the useful lines are in the previous instance.
        var lines = await GetLogTailAsync(pod.Name, LogTailLines, previous: pod.Restarts > 0, log, cancellationToken).ConfigureAwait(false);
        if (lines.Count == 0 && pod.Restarts > 0)
        {
            lines = await GetLogTailAsync(pod.Name, LogTailLines, previous: false, log, cancellationToken).ConfigureAwait(false);
        }

        foreach (var line in lines)
        {
            message.Append("\n  log: ").Append(line);
        }
    }

    // JSON reads would flood the resource log; only the command line is kept.
    private static ResourceLog Quiet(ResourceLog log) => ResourceLog.None;

    private async Task<ProcessResult> RunAsync(IReadOnlyList<string> args, ResourceLog log, CancellationToken cancellationToken, string? standardInput = null)
    {
        var result = await RunUncheckedAsync(new ProcessSpec(executable, args) { StandardInput = standardInput }, log, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw new ProcessFailedException(result);
    }

    private async Task<ProcessResult> RunUncheckedAsync(ProcessSpec spec, ResourceLog log, CancellationToken cancellationToken, Action<string, bool>? onLine = null)
    {
        try
        {
            return await runner.RunAsync(spec, log, cancellationToken, onLine).ConfigureAwait(false);
        }
        catch (ToolNotFoundException)
        {
            throw new ToolNotFoundException(executable, InstallHint);
        }
    }
}
