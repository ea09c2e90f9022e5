using DevEnv.Hosting.Application;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Registry;

namespace DevEnv.Hosting.Cli;

/// <summary><c>status</c>: asks each resource how it is (Docker, the registry, kind, the cluster) and prints it; creates nothing.</summary>
internal static class StatusVerb
{
    public static async Task<int> RunAsync(EnvironmentModel model, CancellationToken cancellationToken)
    {
        foreach (var resource in model.All)
        {
            var probe = resource.Maintenance() as IStatusProbe ?? (resource as IReconciledResource)?.Reconciler as IStatusProbe;
            if (probe is not null)
            {
                await probe.ProbeAsync(model.ConsoleContext(resource), cancellationToken).ConfigureAwait(false);
            }
        }

        await model.Console.Out.WriteLineAsync($"DevEnv '{model.Settings.Name}':").ConfigureAwait(false);
        await VerbRunner.WriteSummaryAsync(model.Notifications, model.All, model.Console.Out).ConfigureAwait(false);
        // The engine (Docker Desktop, Colima, native dockerd, ...) and what it means for telemetry and URLs, as the cluster found it.
        foreach (var engine in model.All.Select(r => model.Notifications.TryGetCurrentState(r.Name, out var e)
            ? e.Snapshot.Properties.FirstOrDefault(p => p.Name == ContainerEngine.Property)?.Value as string : null).OfType<string>().Distinct())
        {
            await model.Console.Out.WriteLineAsync($"  engine: {engine}").ConfigureAwait(false);
        }

        return 0;
    }
}
