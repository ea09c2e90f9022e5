using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Cli;

/// <summary><c>manifests</c>: the kind config and every Kubernetes manifest, one YAML stream; pure, byte-identical run to run.</summary>
internal static class ManifestsVerb
{
    public static async Task<int> RunAsync(EnvironmentModel model)
    {
        // The receiver before the deployments: its Secret is what their pods read the OTLP header from, and rendering it
        // gives the deployments the receiver's address.
        var sources = model.Clusters.Select(c => c.Reconciler).Concat(model.TelemetryReceivers.Select(r => r.Reconciler))
            .Concat(model.Deployments.Select(d => d.Reconciler)).OfType<IManifestSource>().ToArray();
        var documents = new List<string>();
        try
        {
            foreach (var source in sources)
            {
                documents.AddRange(await source.RenderManifestsAsync(CancellationToken.None).ConfigureAwait(false));
            }
        }
        catch (InvalidOperationException ex) when (ex is AppModel.MissingParameterException or AppModel.UnsupportedValueException)
        {
            // The app model cannot be evaluated for the cluster (a parameter without a value): its one line, nothing printed.
            await model.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }

        if (documents.Count == 0)
        {
            await model.Console.Error.WriteLineAsync("Nothing to print: no resource in Program.cs renders manifests.").ConfigureAwait(false);
            return 1;
        }

        foreach (var skipped in model.TelemetryReceivers.Select(r => r.Receiver.NotPrintedBecause).OfType<string>().Distinct())
        {
            await model.Console.Error.WriteLineAsync(skipped).ConfigureAwait(false);
        }

        await model.Console.Out.WriteAsync(Join(documents)).ConfigureAwait(false);
        await model.Console.Out.FlushAsync().ConfigureAwait(false);
        await model.Console.Error.WriteLineAsync($"{documents.Count} documents from {sources.Length} resources.").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Joins YAML documents into one stream, each introduced by <c>---</c>, with LF line ends.</summary>
    public static string Join(IEnumerable<string> documents) =>
        string.Concat(documents.Select(d => "---\n" + d.Replace("\r\n", "\n").TrimEnd('\n') + "\n"));
}
