using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Resources.Cluster;

/// <summary>
/// The few docker CLI calls the cluster needs around kind: the node image, files on node containers, the
/// registry's network. Through the process runner like every other command.
/// </summary>
public sealed class NodeDocker(IProcessRunner runner, string executable = "docker")
{
    /// <summary>Whether the image is in the local image store.</summary>
    public async Task<bool> ImageExistsAsync(string image, ResourceLog log, CancellationToken cancellationToken) =>
        (await RunAsync(["image", "inspect", "--format", "{{.Id}}", image], log, cancellationToken).ConfigureAwait(false)).ExitCode == 0;

    /// <summary>Pulls an image; null on success, else docker's error.</summary>
    public async Task<string?> PullAsync(string image, ResourceLog log, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["pull", image], log, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? null : Tail(result);
    }

    /// <summary>Names of the given containers that are not running (missing ones included).</summary>
    public async Task<IReadOnlyList<string>> NotRunningAsync(IReadOnlyList<string> containers, ResourceLog log, CancellationToken cancellationToken)
    {
        var stopped = new List<string>();
        foreach (var container in containers)
        {
            var result = await RunAsync(["inspect", "--format", "{{.State.Running}}", container], log, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0 || result.Output.Trim() != "true")
            {
                stopped.Add(container);
            }
        }

        return stopped;
    }

    /// <summary>Starts stopped containers (node containers after a reboot).</summary>
    public Task StartAsync(IReadOnlyList<string> containers, ResourceLog log, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync(new ProcessSpec(executable, ["start", .. containers]), log, cancellationToken);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> inside a container (mkdir -p, then cp from stdin).</summary>
    public async Task WriteFileAsync(string container, string path, string content, ResourceLog log, CancellationToken cancellationToken)
    {
        var directory = path[..path.LastIndexOf('/')];
        await runner.RunCheckedAsync(new ProcessSpec(executable, ["exec", container, "mkdir", "-p", directory]), log, cancellationToken).ConfigureAwait(false);
        await runner.RunCheckedAsync(
            new ProcessSpec(executable, ["exec", "-i", container, "cp", "/dev/stdin", path]) { StandardInput = content },
            log,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects a container to a network unless it already is. False when the container does not exist
    /// (the registry is someone else's resource; the caller decides how bad that is).
    /// </summary>
    public async Task<bool> EnsureConnectedAsync(string container, string network, ResourceLog log, CancellationToken cancellationToken)
    {
        var inspect = await RunAsync(["inspect", "--format", "{{json .NetworkSettings.Networks}}", container], log, cancellationToken).ConfigureAwait(false);
        if (inspect.ExitCode != 0)
        {
            return false;
        }

        if (!inspect.Output.Contains($"\"{network}\":", StringComparison.Ordinal))
        {
            await runner.RunCheckedAsync(new ProcessSpec(executable, ["network", "connect", network, container]), log, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static string Tail(ProcessResult result) =>
        string.Join(' ', (result.StandardError.Count > 0 ? result.StandardError : result.StandardOutput).TakeLast(3)).Trim();

    private async Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, ResourceLog log, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.RunAsync(new ProcessSpec(executable, arguments), log, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolNotFoundException)
        {
            throw new ToolNotFoundException(executable, "kind runs its nodes as Docker containers: install Docker (https://docs.docker.com/engine/install/) and start it.");
        }
    }
}
