using DevEnv.AppHost.Clients.Kind;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>
/// Whether a kind cluster can be created on this machine: kind installed, Docker running, the node image
/// present or pullable. Tests that need a live cluster skip with the reason this returns.
/// </summary>
public static class KindAvailability
{
    /// <summary>Null when a cluster can be created; otherwise why not, in words fit for a skip message.</summary>
    public static async Task<string?> WhyUnavailableAsync(string nodeImage, CancellationToken cancellationToken)
    {
        var runner = new ProcessRunner();
        try
        {
            await new KindClient(runner).GetVersionAsync(ResourceLog.None, cancellationToken);
        }
        catch (ToolNotFoundException ex)
        {
            return "kind not installed: " + ex.Message;
        }

        var docker = await runner.RunAsync(new ProcessSpec("docker", ["version", "--format", "{{.Server.Version}}"]), ResourceLog.None, cancellationToken);
        if (docker.ExitCode != 0)
        {
            return "the Docker Engine is not running: " + docker.Error;
        }

        var inspect = await runner.RunAsync(new ProcessSpec("docker", ["image", "inspect", "--format", "{{.Id}}", nodeImage]), ResourceLog.None, cancellationToken);
        if (inspect.ExitCode == 0)
        {
            return null;
        }

        var pull = await runner.RunAsync(new ProcessSpec("docker", ["pull", nodeImage]), ResourceLog.None, cancellationToken);
        return pull.ExitCode == 0 ? null : $"node image {nodeImage} cannot be obtained: {pull.Error.Trim()}";
    }
}
