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

    private static string Detail(ResourceSnapshot s)
    {
        var urls = string.Join("  ", s.Endpoints.Select(e => e.Url));
        return (s.Reason, urls) switch
        {
            (null or "", _) => urls,
            (_, "") => s.Reason!,
            _ => $"{urls}  ({s.Reason})",
        };
    }
}
