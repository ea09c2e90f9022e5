using DevEnv.AppHost.Model;
using Spectre.Console;

namespace DevEnv.AppHost.Cli;

/// <summary>
/// Progress as a live Spectre.Console table (one row per resource: state with a spinner while busy, reason,
/// time in state), redrawn on every change. Only used when a person watches a terminal.
/// </summary>
public static class LiveProgress
{
    private static readonly string[] Spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    /// <summary>Shows the table until cancelled, then leaves its final state on screen.</summary>
    public static async Task RunAsync(ResourceNotificationService notifications, TimeProvider time, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumns("[bold]Resource[/]", "[bold]State[/]", "[bold]Reason[/]", "[bold]For[/]");
        await console.Live(table).AutoClear(false).StartAsync(async live =>
        {
            var frame = 0;
            using var ticker = new PeriodicTimer(TimeSpan.FromMilliseconds(120), time);
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    Fill(table, notifications.GetAll(), time.GetUtcNow(), frame++);
                    live.Refresh();
                    await ticker.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Normal end of the start-up phase.
            }

            Fill(table, notifications.GetAll(), time.GetUtcNow(), frame);
            live.Refresh();
        }).ConfigureAwait(false);
    }

    private static void Fill(Table table, IReadOnlyList<ResourceSnapshot> snapshots, DateTimeOffset now, int frame)
    {
        table.Rows.Clear();
        foreach (var s in snapshots)
        {
            var busy = s.State is ResourceStates.Starting or ResourceStates.Building or ResourceStates.Pushing or ResourceStates.RollingOut or ResourceStates.Stopping;
            var icon = busy ? Spinner[frame % Spinner.Length] : StateStyle.Icon(s.State);
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(s.Name)}[/] [grey]{Markup.Escape(s.Kind)}[/]"),
                new Markup($"[{StateStyle.Color(s.State)}]{icon} {s.State}[/]"),
                new Markup(Markup.Escape(SummaryTable.FirstLine(s.Reason) ?? "")),
                new Markup($"[grey]{StateStyle.Duration(now - s.StateChangedAt)}[/]"));
        }
    }
}
