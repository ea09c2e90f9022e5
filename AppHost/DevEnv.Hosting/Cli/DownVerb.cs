using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Cli;

/// <summary>
/// <c>down [--purge]</c>: deletes the cluster (and with it the deployments) and the registry container, only what
/// carries our label; <c>--purge</c> also the registry volume. Safe to run again: it removes only what is left.
/// </summary>
internal static class DownVerb
{
    public static async Task<int> RunAsync(EnvironmentModel model, CancellationToken cancellationToken)
    {
        var purge = model.DevEnv.Options.Purge;
        await model.Console.Error.WriteLineAsync($"Tearing down '{model.Settings.Name}'{(purge ? " and purging its data" : "")}...").ConfigureAwait(false);
        var errors = new List<string>();
        foreach (var resource in model.Deployments.Concat<IReconciledResource>(model.Clusters))
        {
            await TryAsync(resource.Name, () => resource.Reconciler.DestroyAsync(model.ConsoleContext(resource), cancellationToken), errors).ConfigureAwait(false);
            // A kind cluster's claims go with the cluster; a shared cluster keeps them unless asked.
            if (purge && resource.Reconciler is Resources.RemoteCluster.RemoteClusterTarget remote)
            {
                await TryAsync(resource.Name, () => remote.PurgeAsync(model.ConsoleContext(resource), cancellationToken), errors).ConfigureAwait(false);
            }
        }

        foreach (var registry in model.Registries)
        {
            var maintenance = Resources.Registry.RegistryResourceExtensions.Maintenance(registry)!;
            var context = model.ConsoleContext(registry);
            await TryAsync(registry.Name, () => maintenance.DestroyAsync(context, cancellationToken), errors).ConfigureAwait(false);
            if (purge)
            {
                await TryAsync(registry.Name, () => maintenance.PurgeAsync(context, cancellationToken), errors).ConfigureAwait(false);
            }
        }

        if (purge)
        {
            // Traces, dumps and debugger settings the pod commands wrote; plain `down` keeps them for after the pods are gone.
            await TryAsync("diagnostics files", () => Task.FromResult(new Resources.Diagnostics.DiagnosticsFolder(model.Settings.ResolvedStateDirectory).Purge()), errors).ConfigureAwait(false);
        }

        foreach (var error in errors)
        {
            await model.Console.Error.WriteLineAsync($"error: {error}").ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            await model.Console.Error.WriteLineAsync("Some parts could not be removed; fix the cause above and run 'down' again (it only removes what is left).").ConfigureAwait(false);
            return 1;
        }

        await model.Console.Out.WriteLineAsync(purge
            ? "Environment removed, including the registry volume and the collected traces and dumps."
            : "Environment removed. The registry volume and the collected traces and dumps are kept ('down --purge' removes them).").ConfigureAwait(false);
        return 0;
    }

    private static async Task TryAsync(string name, Func<Task> action, List<string> errors)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            errors.Add($"{name}: {ErrorText.Describe(ex)}");
        }
    }
}
