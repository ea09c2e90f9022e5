using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Cli;

/// <summary><c>down [--purge]</c>: removes what the environment created, in reverse dependency order.</summary>
internal static class DownVerb
{
    public static async Task<int> RunAsync(DevEnvironment environment, CliOptions options, CliConsole console, CancellationToken cancellationToken)
    {
        await console.Error.WriteLineAsync($"Tearing down '{environment.Settings.Name}'{(options.Purge ? " and purging its data" : "")}...").ConfigureAwait(false);
        using var progress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lines = PlainProgress.RunAsync(environment.Notifications, environment.Time, console.Error, skipReplay: true, progress.Token);
        var errors = await environment.DestroyAsync(options.Purge, cancellationToken).ConfigureAwait(false);
        await progress.CancelAsync().ConfigureAwait(false);
        await lines.ConfigureAwait(false);
        foreach (var error in errors)
        {
            await console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            await console.Error.WriteLineAsync("Some parts could not be removed; fix the cause above and run 'down' again (it only removes what is left).").ConfigureAwait(false);
            return 1;
        }

        await console.Out.WriteLineAsync(options.Purge
            ? "Environment removed, including the registry volume."
            : "Environment removed. The registry volume is kept for a fast next start ('down --purge' removes it).").ConfigureAwait(false);
        return 0;
    }
}
