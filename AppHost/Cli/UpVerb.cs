using DevEnv.AppHost.Dashboard;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Watch;

namespace DevEnv.AppHost.Cli;

/// <summary>
/// <c>up</c> (the default): dashboard first (so the user can watch), the graph with live progress, a summary
/// table with the URLs, then the watch loop until Ctrl+C. Ctrl+C stops the watcher and the dashboard and
/// leaves the environment running, so the next <c>up</c> reuses it; <c>down</c> removes it.
/// </summary>
internal static class UpVerb
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(DevEnvironment environment, CliOptions options, CliConsole console, CancellationToken cancellationToken)
    {
        var settings = environment.Settings;
        await console.Out.WriteLineAsync($"DevEnv '{settings.Name}': {environment.Resources.Count} resources ({string.Join(", ", environment.Resources.Select(r => r.Name))})").ConfigureAwait(false);

        await using var dashboard = options.NoDashboard ? null : new DashboardServer(environment);
        if (dashboard is not null)
        {
            await dashboard.StartAsync(cancellationToken).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"Dashboard: {dashboard.LoginUrl}").ConfigureAwait(false);
        }

        var ok = await StartWithProgressAsync(environment, console, cancellationToken).ConfigureAwait(false);
        await console.Out.WriteLineAsync().ConfigureAwait(false);
        SummaryTable.Write(console, environment.Notifications.GetAll());
        if (dashboard is not null)
        {
            await console.Out.WriteLineAsync($"\nDashboard: {dashboard.LoginUrl}").ConfigureAwait(false);
        }

        if (options.Detach)
        {
            await environment.StopAsync(StopDeadline, CancellationToken.None).ConfigureAwait(false);
            return ok ? 0 : 1;
        }

        using var watcher = options.NoWatch ? null : StartWatcher(environment, console, cancellationToken);
        await console.Out.WriteLineAsync(
            (watcher is null ? "" : $"Watching {string.Join(", ", watcher.Directories.Select(Path.GetFileName))} for changes. ") +
            "Press Ctrl+C to stop watching; the environment keeps running ('down' removes it).").ConfigureAwait(false);

        // After the summary, changes scroll by as plain lines: a live table would fight with the scrollback.
        await PlainProgress.RunAsync(environment.Notifications, environment.Time, console.Out, skipReplay: true, cancellationToken).ConfigureAwait(false);

        await console.Out.WriteLineAsync("\nStopping the watcher and the dashboard; the environment stays up.").ConfigureAwait(false);
        watcher?.Dispose();
        if (dashboard is not null)
        {
            await dashboard.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var errors = await environment.StopAsync(StopDeadline, CancellationToken.None).ConfigureAwait(false);
        foreach (var error in errors)
        {
            await console.Error.WriteLineAsync($"warning: {error.Message}").ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<bool> StartWithProgressAsync(DevEnvironment environment, CliConsole console, CancellationToken cancellationToken)
    {
        using var progress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var view = console.Interactive
            ? LiveProgress.RunAsync(environment.Notifications, environment.Time, SummaryTable.AnsiConsoleFor(console.Out), progress.Token)
            : PlainProgress.RunAsync(environment.Notifications, environment.Time, console.Out, skipReplay: false, progress.Token);
        try
        {
            return await environment.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await progress.CancelAsync().ConfigureAwait(false);
            await view.ConfigureAwait(false);
        }
    }

    private static SourceWatcher? StartWatcher(DevEnvironment environment, CliConsole console, CancellationToken cancellationToken)
    {
        if (environment.RebuildTarget is null)
        {
            return null;
        }

        var settings = environment.Settings;
        var folders = new[] { settings.AppProjectDirectory, Path.Combine(settings.SourceRoot, "ServiceDefaults") }.Where(Directory.Exists).ToArray();
        if (folders.Length == 0)
        {
            console.Error.WriteLine($"warning: not watching: {settings.AppProjectDirectory} does not exist (set DEVENV_SOURCE_ROOT).");
            return null;
        }

        var rebuild = new RebuildLoop(run => environment.RebuildAndDeployAsync(run.BuildToken, run.LifetimeToken), cancellationToken);
        return new SourceWatcher(folders, Debounce, environment.Time, changed =>
        {
            var shown = string.Join(", ", changed.Take(3).Select(p => Path.GetRelativePath(settings.SourceRoot, p)));
            console.Out.WriteLine($"{environment.Time.GetLocalNow():HH:mm:ss}  changed: {shown}{(changed.Count > 3 ? $" and {changed.Count - 3} more" : "")}; rebuilding");
            rebuild.Trigger();
        });
    }
}
