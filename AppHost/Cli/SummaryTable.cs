using DevEnv.AppHost.Model;
using Spectre.Console;

namespace DevEnv.AppHost.Cli;

/// <summary>The table printed when start-up has settled (and by <c>status</c>): each resource, its state, and where to reach it.</summary>
public static class SummaryTable
{
    /// <summary>Writes the table: a Spectre table on a terminal, aligned plain text otherwise.</summary>
    public static void Write(CliConsole console, IReadOnlyList<ResourceSnapshot> snapshots)
    {
        if (console.Interactive)
        {
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("[bold]Resource[/]", "[bold]Kind[/]", "[bold]State[/]", "[bold]Reason / URL[/]");
            foreach (var s in snapshots)
            {
                table.AddRow(
                    new Markup($"[bold]{Markup.Escape(s.Name)}[/]"),
                    new Markup($"[grey]{Markup.Escape(s.Kind)}[/]"),
                    new Markup($"[{StateStyle.Color(s.State)}]{StateStyle.Icon(s.State)} {s.State}[/]"),
                    new Markup(Markup.Escape(Detail(s))));
            }

            AnsiConsoleFor(console.Out).Write(table);
            return;
        }

        var nameWidth = Math.Max(8, snapshots.Select(s => s.Name.Length).DefaultIfEmpty(0).Max());
        var kindWidth = Math.Max(4, snapshots.Select(s => s.Kind.Length).DefaultIfEmpty(0).Max());
        console.Out.WriteLine($"{"RESOURCE".PadRight(nameWidth)}  {"KIND".PadRight(kindWidth)}  {"STATE",-10}  REASON / URL");
        foreach (var s in snapshots)
        {
            console.Out.WriteLine($"{s.Name.PadRight(nameWidth)}  {s.Kind.PadRight(kindWidth)}  {s.State,-10}  {Detail(s)}".TrimEnd());
        }
    }

    /// <summary>An ANSI console writing to <paramref name="writer"/> (the process console when it is stdout).</summary>
    public static IAnsiConsole AnsiConsoleFor(TextWriter writer) =>
        writer == Console.Out ? AnsiConsole.Console : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });

    /// <summary>
    /// The first line of a reason, cut to fit a terminal: long tool output (a compiler's or publish's stderr tail)
    /// belongs in the resource log and the dashboard, not in a table cell.
    /// </summary>
    public static string? FirstLine(string? reason, int max = 160)
    {
        if (reason is null)
        {
            return null;
        }

        var newline = reason.IndexOf('\n');
        var line = (newline < 0 ? reason : reason[..newline]).TrimEnd(':', ' ', '\r');
        var more = newline >= 0;
        if (line.Length > max)
        {
            line = line[..max];
            more = true;
        }

        return more ? line + " … (full text in the log and dashboard)" : line;
    }

    private static string Detail(ResourceSnapshot s)
    {
        var urls = string.Join("  ", s.Endpoints.Select(e => e.Url));
        return (FirstLine(s.Reason), urls) switch
        {
            (null or "", _) => urls,
            (var reason, "") => reason!,
            (var reason, _) => $"{urls}  ({reason})",
        };
    }
}
