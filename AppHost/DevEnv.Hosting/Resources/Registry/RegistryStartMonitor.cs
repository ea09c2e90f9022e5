using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Resources.Registry;

/// <summary>
/// Says in the AppHost's console what the registry container is doing when it does not come up. The container is
/// Aspire's (DCP starts it), so nothing of DevEnv's reports it, and everything else waits for it: without this, an image
/// that cannot be pulled (no network, a registry that refuses) leaves the console at "waiting for registry" for good.
/// Each state the container fails in gets a line, and a registry that is not running after <see cref="Patience"/> gets
/// one line with the likely cause: the engine does not have the image (it is pulling it, or cannot), or it does.
/// </summary>
internal sealed class RegistryStartMonitor(ResourceNotificationService notifications, ILoggerFactory loggers, string image,
    Func<CancellationToken, Task<bool>> engineHasImage) : BackgroundService
{
    private static readonly string[] FailedStates = [KnownResourceStates.FailedToStart, KnownResourceStates.Exited, KnownResourceStates.RuntimeUnhealthy];
    private readonly ILogger _console = loggers.CreateLogger("DevEnv");

    /// <summary>How long a start may take before the console says why it has not finished.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? said = null;
        var running = false;
        Task? patience = null;
        try
        {
            await foreach (var e in notifications.WatchAsync(stoppingToken))
            {
                if (!e.Resource.Annotations.OfType<RegistryMaintenanceAnnotation>().Any())
                {
                    continue;
                }

                var state = e.Snapshot.State?.Text;
                running = state == KnownResourceStates.Running;
                patience ??= WhenSlowAsync(e.Resource.Name, () => running, stoppingToken);
                if (state != said && FailedStates.Contains(state))
                {
                    _console.LogWarning("{Line}", $"{e.Resource.Name}: {state}{(e.Snapshot.ExitCode is { } code ? $" (exit code {code})" : "")}; its console log in the dashboard has the container's own words");
                }

                said = state;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost stops.
        }
    }

    private async Task WhenSlowAsync(string resource, Func<bool> running, CancellationToken cancellationToken)
    {
        await Task.Delay(Patience, cancellationToken).ConfigureAwait(false);
        if (running())
        {
            return;
        }

        bool present;
        try
        {
            present = await engineHasImage(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Clients.Docker.DockerUnavailableException or Docker.DotNet.DockerApiException or HttpRequestException or IOException)
        {
            _console.LogWarning("{Line}", $"{resource}: not running after {Patience.TotalSeconds:0} s, and the Docker Engine does not answer ({ex.Message.Split('\n')[0]}); start it and run `up` again");
            return;
        }

        _console.LogWarning("{Line}", present
            ? $"{resource}: not running after {Patience.TotalSeconds:0} s although the Docker Engine has {image}; its console log in the dashboard has the container's own words"
            : $"{resource}: not running after {Patience.TotalSeconds:0} s: the Docker Engine does not have {image} and is pulling it, or cannot reach its registry. "
              + $"Pull it where its registry is reachable (`docker pull` then `docker save` / `docker load` here), or point DEVENV_REGISTRY_IMAGE at a registry image you have");
    }
}
