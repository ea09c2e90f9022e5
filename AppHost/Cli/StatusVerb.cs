using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Cli;

/// <summary><c>status</c>: asks each resource what state it is in, creating nothing, and prints the table.</summary>
internal static class StatusVerb
{
    public static async Task<int> RunAsync(DevEnvironment environment, CliConsole console, CancellationToken cancellationToken)
    {
        await environment.ProbeAsync(cancellationToken).ConfigureAwait(false);
        SummaryTable.Write(console, environment.Notifications.GetAll());
        return 0;
    }
}
