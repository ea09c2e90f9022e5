using System.Globalization;

namespace DevEnv.Hosting.Cli;

/// <summary>
/// The flags of <c>verify-rollout</c>: <c>--url</c> (default the deployment's NodePort), <c>--no-restart</c> (only
/// measure), <c>--duration</c> (seconds: the whole measurement with --no-restart, else the baseline before the
/// restart), <c>--rate</c> (requests per second).
/// </summary>
public sealed record VerifyRolloutFlags(Uri? Url = null, bool NoRestart = false, double? DurationSeconds = null, double? Rate = null)
{
    /// <summary>The usage lines of these flags.</summary>
    public const string Usage =
        "  --url <url>     (verify-rollout) load this base URL instead of the deployment's NodePort\n" +
        "  --no-restart    (verify-rollout) only measure: no restart, nothing started (a rollout you run yourself, a remote target)\n" +
        "  --duration <s>  (verify-rollout) seconds to measure with --no-restart (default 30), else before the restart (default 10)\n" +
        "  --rate <n>      (verify-rollout) requests per second (default 100)\n";

    /// <summary>Parses the words after the verb; throws <see cref="UsageException"/> for anything it does not know.</summary>
    public static VerifyRolloutFlags Parse(IReadOnlyList<string> args)
    {
        var flags = new VerifyRolloutFlags();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--no-restart": flags = flags with { NoRestart = true }; break;
                case "--url":
                    var url = Value(args, ref i);
                    flags = flags with
                    {
                        Url = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
                            ? uri
                            : throw new UsageException($"--url '{url}' is not an absolute http:// URL (e.g. http://127.0.0.1:31000)."),
                    };
                    break;
                case "--duration": flags = flags with { DurationSeconds = Number(args, ref i, max: 7200) }; break;
                case "--rate": flags = flags with { Rate = Number(args, ref i, max: 100_000) }; break;
                default: throw new UsageException($"Unknown option '{args[i]}' for verify-rollout.");
            }
        }
        return flags;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        if (++i >= args.Count) throw new UsageException($"{name} needs a value.");
        return args[i];
    }

    private static double Number(IReadOnlyList<string> args, ref int i, double max)
    {
        var name = args[i];
        var text = Value(args, ref i);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= max
            ? n
            : throw new UsageException($"{name} '{text}' must be a number in (0, {max.ToString(CultureInfo.InvariantCulture)}].");
    }
}
