using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kind;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;
using Docker.DotNet;

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

        using var docker = DockerEngine.Connect();
        try
        {
            if (await docker.Images.TryInspectImageAsync(nodeImage, cancellationToken) is not null)
            {
                return null;
            }

            await docker.Images.PullImageAsync(nodeImage, null, cancellationToken);
            return null;
        }
        catch (DockerUnavailableException ex)
        {
            return "the Docker Engine is not running: " + ex.Message;
        }
        catch (DockerApiException ex)
        {
            return $"node image {nodeImage} cannot be obtained: {ex.DaemonMessage()}";
        }
    }
}
