using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Cli;

/// <summary>
/// Progress as plain timestamped lines, one per change of a resource's state or reason: for CI, redirected
/// output, and for the watch phase after the summary, where a live table would fight with scrollback.
/// </summary>
public static class PlainProgress
{
    /// <summary>Writes a line per change until cancelled. <paramref name="skipReplay"/> leaves out the current states.</summary>
    public static async Task RunAsync(ResourceNotificationService notifications, TimeProvider time, TextWriter writer, bool skipReplay, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, (string State, string? Reason)>(StringComparer.Ordinal);
        if (skipReplay)
        {
            foreach (var s in notifications.GetAll())
            {
                seen[s.Name] = (s.State, s.Reason);
            }
        }

        try
        {
            await foreach (var s in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (seen.TryGetValue(s.Name, out var last) && last == (s.State, s.Reason))
                {
                    continue;
                }

                seen[s.Name] = (s.State, s.Reason);
                await writer.WriteLineAsync(Format(time.GetLocalNow(), s)).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal end: the phase this reporter watched is over.
        }
    }

    /// <summary>"12:01:05  registry    Running    reason".</summary>
    public static string Format(DateTimeOffset now, ResourceSnapshot s) =>
        $"{now:HH:mm:ss}  {s.Name,-12} {s.State,-10} {SummaryTable.FirstLine(s.Reason)}".TrimEnd();
}
