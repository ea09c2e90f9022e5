using System.Globalization;

namespace DevEnv.Diagnostics.Agent;

/// <summary>The parsed command line: a verb and <c>--name value</c> options.</summary>
/// <param name="Verb">ps, trace, dump, gcdump, idle.</param>
/// <param name="Values">The options, by name without the dashes.</param>
public sealed record AgentOptions(string Verb, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Parses <c>verb [--name value]...</c>; throws <see cref="ArgumentException"/> with a usage line otherwise.</summary>
    public static AgentOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException(Usage);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"unexpected '{args[i]}'. {Usage}");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new AgentOptions(args[0], values);
    }

    /// <summary>One line saying how the agent is called.</summary>
    public const string Usage = "usage: DevEnv.Diagnostics.Agent ps | trace [--pid N] [--duration SECONDS] | dump [--pid N] [--type full|heap|mini|triage] | gcdump [--pid N] | idle";

    /// <summary>The process asked for with --pid, or null to pick the one .NET process there is.</summary>
    public int? Pid => Values.TryGetValue("pid", out var text)
        ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : throw new ArgumentException($"--pid must be a process id; got '{text}'")
        : null;

    /// <summary>An option's text, or <paramref name="fallback"/>.</summary>
    public string Get(string name, string fallback) => Values.TryGetValue(name, out var value) ? value : fallback;
}
