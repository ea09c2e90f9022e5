using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Dashboard;

/// <summary>
/// Says in the AppHost's console when the Aspire dashboard cannot reach the AppHost's resource service. The dashboard
/// then lists no resources ("No resources found") and only writes a gRPC error into its own log, which Aspire hides
/// with the dashboard resource; a user who opens the page sees nothing and has no way on. This reads the dashboard's log
/// (JSON lines, Aspire starts it with the JSON console formatter) and turns its resource-client errors into one line.
/// </summary>
internal sealed class DashboardConnectionMonitor(
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ILoggerFactory loggers,
    TimeProvider time) : BackgroundService
{
    /// <summary>Aspire's name for the dashboard resource.</summary>
    public const string DashboardResource = "aspire-dashboard";

    /// <summary>The dashboard retries every few seconds; one line per this period is enough to be seen.</summary>
    public static readonly TimeSpan RepeatAfter = TimeSpan.FromMinutes(1);

    private readonly ILogger _console = loggers.CreateLogger("DevEnv");

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? watched = null;
        try
        {
            await foreach (var e in notifications.WatchAsync(stoppingToken))
            {
                if (watched is null && string.Equals(e.Resource.Name, DashboardResource, StringComparison.OrdinalIgnoreCase))
                {
                    watched = e.ResourceId;
                    _ = WatchLogAsync(e.ResourceId, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The AppHost stops.
        }
    }

    private async Task WatchLogAsync(string resourceId, CancellationToken cancellationToken)
    {
        DateTimeOffset? said = null;
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    if (DashboardLogLine.ResourceServiceError(line.Content) is not { } error
                        || (said is { } last && time.GetUtcNow() - last < RepeatAfter))
                    {
                        continue;
                    }

                    said = time.GetUtcNow();
                    _console.LogWarning("{Line}", Line(error));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The AppHost stops (and the dashboard with it: its errors then are expected).
        }
        catch (Exception ex)
        {
            // Watching is a help, not a duty: the AppHost runs on without it, and says so once.
            _console.LogDebug("Not watching the dashboard's log any more: {Error}", ex.Message);
        }
    }

    /// <summary>The console line for an error the dashboard logged.</summary>
    public static string Line(string error) =>
        $"dashboard: cannot reach the AppHost's resource service ({error}), so it lists no resources. " +
        "Reload the page; if it stays empty, check that nothing stands between the two on 127.0.0.1 " +
        "(an HTTP_PROXY/ALL_PROXY without 127.0.0.1 in NO_PROXY, a firewall) and restart `up`.";
}
