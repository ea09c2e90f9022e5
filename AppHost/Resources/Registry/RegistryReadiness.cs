using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Clients.Oci;

namespace DevEnv.AppHost.Resources.Registry;

/// <summary>
/// The registry's one wait condition: GET /v2/ answers. Polls at an interval until a timeout; fails early when
/// the container exits; the timeout message names the resource and shows its recent logs.
/// </summary>
public sealed class RegistryReadiness(IDockerClient docker, IOciRegistryClient oci, TimeProvider time)
{
    /// <summary>How often to ask.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long to wait in total.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the registry in <paramref name="container"/> answers, or throws <see cref="RegistryStartException"/>.</summary>
    public async Task WaitAsync(string resourceName, string container, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + Timeout;
        while (true)
        {
            if (await oci.PingAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var state = (await docker.Containers.InspectAsync(container, cancellationToken).ConfigureAwait(false)).State;
            if (!state.Running)
            {
                throw new RegistryStartException(
                    $"Registry '{resourceName}': container {container} exited (code {state.ExitCode}) before {oci.BaseAddress}v2/ answered.{state.Error switch { null or "" => "", var e => " " + e }}"
                    + await RecentLogsAsync(container, cancellationToken).ConfigureAwait(false));
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new RegistryStartException(
                    $"Registry '{resourceName}': GET {oci.BaseAddress}v2/ did not answer within {Timeout.TotalSeconds:0}s (container {container} is running)."
                    + await RecentLogsAsync(container, cancellationToken).ConfigureAwait(false));
            }

            await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The last lines of the container's log, formatted for an error message.</summary>
    public async Task<string> RecentLogsAsync(string container, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        try
        {
            await foreach (var line in docker.Containers.LogsAsync(container, new LogsOptions { Tail = 20 }, cancellationToken).ConfigureAwait(false))
            {
                lines.Add("  " + line.Text);
            }
        }
        catch (DockerApiException ex)
        {
            lines.Add($"  (logs unavailable: {ex.DaemonMessage})");
        }

        return lines.Count == 0 ? " The container wrote no log." : "\nRecent container logs:\n" + string.Join('\n', lines);
    }
}
