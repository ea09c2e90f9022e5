namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// Runs the diagnostics agent next to a pod's app: in a container from the tools image that shares the app's process
/// namespace and /tmp (an ephemeral container in a cluster), without a shell in either image. The agent's stdout (the
/// collected file) is copied to a stream as it comes, its stderr handed over line by line.
/// </summary>
public interface IPodAgentRunner
{
    /// <summary>
    /// Runs the agent with <paramref name="arguments"/> next to <paramref name="pod"/>'s app (starting the tools container from
    /// <paramref name="toolsImage"/> first when the pod has none yet) and returns its exit code. Throws
    /// <see cref="PodGoneException"/> when the pod is not there or goes away meanwhile.
    /// </summary>
    Task<int> RunAsync(PodTarget pod, string toolsImage, IReadOnlyList<string> arguments, Stream output, Action<string> onMessage, CancellationToken cancellationToken);
}
