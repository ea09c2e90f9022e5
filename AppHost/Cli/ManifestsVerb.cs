using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Cli;

/// <summary>
/// <c>manifests</c>: every document every <see cref="IManifestSource"/> renders, in resource order, as one
/// multi-document YAML stream on stdout. Pure: same settings, same bytes ("\n" line ends on every OS); nothing
/// else is written to stdout so the output can be piped into kubectl or diffed.
/// </summary>
internal static class ManifestsVerb
{
    public static async Task<int> RunAsync(DevEnvironment environment, CliConsole console)
    {
        var documents = Render(environment);
        if (documents.Count == 0)
        {
            await console.Error.WriteLineAsync("Nothing to print: no resource in Program.cs renders manifests.").ConfigureAwait(false);
            return 1;
        }

        await console.Out.WriteAsync(Join(documents)).ConfigureAwait(false);
        await console.Out.FlushAsync().ConfigureAwait(false);
        await console.Error.WriteLineAsync($"{documents.Count} documents from {environment.Resources.OfType<IManifestSource>().Count()} resources.").ConfigureAwait(false);
        return 0;
    }

    /// <summary>The documents, in resource order.</summary>
    public static IReadOnlyList<string> Render(DevEnvironment environment) =>
        [.. environment.Resources.OfType<IManifestSource>().SelectMany(s => s.RenderManifests())];

    /// <summary>"---\n" before each document, each ending in exactly one "\n".</summary>
    public static string Join(IEnumerable<string> documents) =>
        string.Concat(documents.Select(d => "---\n" + d.Replace("\r\n", "\n").TrimEnd('\n') + "\n"));
}
