using DevEnv.Hosting.Resources.Image.Pipeline;

namespace DevEnv.Hosting.Watch;

/// <summary>
/// Settings in the environment that slow down every rebuild the watcher starts. CI machines set them so that no
/// compiler or MSBuild process outlives a job; the watcher's builds inherit them (MSBuild reads environment variables
/// as properties), and they are the user's to keep, so the watcher only says what they cost. Measured on 2 cores for
/// a one-line change to SampleApi in fast mode: Csc 3.6 s with the compiler server off, 0.3 s with it; the whole
/// publish 3.1 s without the MSBuild server, 2.2 s with it.
/// </summary>
public static class SlowBuildSettings
{
    /// <summary>Switches the C# compiler server off (an MSBuild property).</summary>
    public const string SharedCompilation = "UseSharedCompilation";

    /// <summary>Switches MSBuild node reuse off, and with it the MSBuild server.</summary>
    public const string NodeReuse = "MSBUILDDISABLENODEREUSE";

    /// <summary>One warning per setting that slows rebuilds, each saying what it costs and what to do; empty when none.</summary>
    public static IReadOnlyList<string> Warnings(Func<string, string?> environment)
    {
        var warnings = new List<string>();
        if (Is(environment(SharedCompilation), "false"))
        {
            warnings.Add($"{SharedCompilation}=false is set in the environment: every rebuild starts the C# compiler cold (about 3 s more for a one-line change on 2 cores). Unset it for the quickest inner loop.");
        }

        var nodeReuse = environment(NodeReuse)?.Trim();
        if (Is(nodeReuse, "1") || Is(nodeReuse, "true"))
        {
            warnings.Add($"{NodeReuse}={nodeReuse} is set in the environment: every rebuild starts MSBuild anew, without the MSBuild server (about 1 s more on 2 cores). Unset it for the quickest inner loop.");
        }
        else if (MSBuildServerSetting.Read(environment) is { IsOff: true } server)
        {
            warnings.Add($"{server.Variable}={server.Value} is set in the environment: every rebuild starts MSBuild anew (about 1 s more on 2 cores). Unset it for the quickest inner loop.");
        }

        return warnings;
    }

    private static bool Is(string? value, string expected) => string.Equals(value?.Trim(), expected, StringComparison.OrdinalIgnoreCase);
}
