using Aspire.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.Hosting.Cli;

/// <summary>
/// <c>up</c>: runs the AppHost under DCP with the Aspire dashboard (its login URL is printed) until Ctrl+C, which
/// leaves the environment running. <c>--detach</c> returns after everything settled, with a summary.
/// </summary>
internal static class UpVerb
{
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromMinutes(15);

    public static async Task<int> RunAsync(DistributedApplication app, EnvironmentModel model, CancellationToken cancellationToken)
    {
        var options = model.DevEnv.Options;
        if (await Preflight.CheckAsync(model, options.NoDashboard || options.Detach ? null : app.Services.GetRequiredService<IConfiguration>(), cancellationToken).ConfigureAwait(false) is { } problem)
        {
            await model.Console.Error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
            return 1;
        }

        if (!options.Detach)
        {
            await app.RunAsync(CancellationToken.None).ConfigureAwait(false);
            await model.Console.Out.WriteLineAsync("The watcher and the dashboard stopped; the environment keeps running ('down' removes it).").ConfigureAwait(false);
            return 0;
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var all = model.All.ToArray();
            var settled = await model.WaitSettledAsync(all, SettleDeadline, cancellationToken).ConfigureAwait(false);
            await model.Console.Out.WriteLineAsync($"DevEnv '{model.Settings.Name}':").ConfigureAwait(false);
            await VerbRunner.WriteSummaryAsync(model.Notifications, all, model.Console.Out).ConfigureAwait(false);
            var failed = all.Where(r => model.StateOf(r) is not ("Running" or "Degraded")).Select(r => r.Name).ToArray();
            if (!settled)
            {
                await model.Console.Error.WriteLineAsync($"error: not settled within {SettleDeadline.TotalMinutes} min").ConfigureAwait(false);
            }

            return settled && failed.Length == 0 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
