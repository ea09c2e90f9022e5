using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Cli;

/// <summary><c>build</c>: only the registry and the image (no cluster); prints the tag, sizes and timings the image published.</summary>
internal static class BuildVerb
{
    public static async Task<int> RunAsync(DevEnvironment environment, CliConsole console, CancellationToken cancellationToken)
    {
        var images = environment.Resources.Where(r => string.Equals(r.Kind, "Image", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (images.Length == 0)
        {
            await console.Error.WriteLineAsync("Nothing to build: no image resource in Program.cs.").ConfigureAwait(false);
            return 1;
        }

        using var progress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lines = PlainProgress.RunAsync(environment.Notifications, environment.Time, console.Error, skipReplay: false, progress.Token);
        bool ok;
        try
        {
            ok = await environment.StartAsync(images, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await progress.CancelAsync().ConfigureAwait(false);
            await lines.ConfigureAwait(false);
        }

        foreach (var image in images)
        {
            var s = environment.Notifications.Get(image.Name);
            await console.Out.WriteLineAsync($"{s.Name}: {s.State}{(s.Reason is null ? "" : $" ({s.Reason})")}").ConfigureAwait(false);
            foreach (var (key, value) in s.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                await console.Out.WriteLineAsync($"  {key,-22} {value}").ConfigureAwait(false);
            }
        }

        if (!ok)
        {
            var failed = environment.Graph.WithDependencies(images).Select(r => environment.Notifications.Get(r.Name)).FirstOrDefault(s => s.State == ResourceStates.Failed);
            await console.Error.WriteLineAsync($"error: build failed{(failed is null ? "" : $": {failed.Name}: {failed.Reason}")}").ConfigureAwait(false);
        }

        return ok ? 0 : 1;
    }
}
