using Aspire.Hosting;

namespace DevEnv.Hosting.Cli;

/// <summary><c>build</c>: starts the registry (DCP) and builds and pushes every project's image; no cluster. Prints tags, sizes, timings.</summary>
internal static class BuildVerb
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(15);

    public static async Task<int> RunAsync(DistributedApplication app, EnvironmentModel model, CancellationToken cancellationToken)
    {
        if (model.Images.Count == 0)
        {
            await model.Console.Error.WriteLineAsync("Nothing to build: no project in Program.cs is deployed with WithKindDeployment.").ConfigureAwait(false);
            return 1;
        }

        if (await Preflight.CheckAsync(model, configuration: null, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            await model.Console.Error.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
            return 1;
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var watched = model.Registries.Concat(model.Images).ToArray();
            if (!await model.WaitSettledAsync(watched, Deadline, cancellationToken).ConfigureAwait(false))
            {
                await model.Console.Error.WriteLineAsync($"error: the build did not finish within {Deadline.TotalMinutes} min").ConfigureAwait(false);
                return 1;
            }

            var ok = true;
            foreach (var image in model.Images)
            {
                model.Notifications.TryGetCurrentState(image.Name, out var e);
                var snapshot = e?.Snapshot;
                var state = snapshot?.State?.Text ?? "Unknown";
                ok &= state == "Running";
                await model.Console.Out.WriteLineAsync($"{image.Name}: {state}").ConfigureAwait(false);
                foreach (var property in (snapshot?.Properties ?? []).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    await model.Console.Out.WriteLineAsync($"  {property.Name,-22} {property.Value}").ConfigureAwait(false);
                }
            }

            if (!ok)
            {
                await model.Console.Error.WriteLineAsync("error: build failed; the reason is above").ConfigureAwait(false);
                await VerbRunner.WriteSummaryAsync(model.Notifications, watched, model.Console.Error).ConfigureAwait(false);
            }

            return ok ? 0 : 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
