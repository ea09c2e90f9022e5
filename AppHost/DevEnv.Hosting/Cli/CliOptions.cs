namespace DevEnv.Hosting.Cli;

/// <summary>
/// The parsed command line: a verb (default <c>up</c>) and its flags. Plain parsing: the verbs are few, and
/// an unknown word is an error that shows the usage rather than a guess.
/// </summary>
public sealed record CliOptions(string Verb, bool Purge = false, bool Detach = false, bool NoWatch = false, bool NoDashboard = false, VerifyRolloutFlags? VerifyRollout = null)
{
    /// <summary>Why the command line or the settings were refused (the verb is then "help"), or null.</summary>
    public string? Error { get; init; }

    /// <summary>The verbs, in the order the usage lists them.</summary>
    public static readonly IReadOnlyList<(string Verb, string Help)> Verbs =
    [
        ("up", "start everything (default), open the dashboard, watch sources; Ctrl+C leaves it running"),
        ("down", "remove the cluster and the registry container (--purge: also the registry volume)"),
        ("status", "show each resource's state without creating anything"),
        ("manifests", "print the kind config and Kubernetes manifests as one YAML stream"),
        ("build", "start the registry, build and push the image, print tag, sizes and timings"),
        ("verify-rollout", "restart the rollout under load and report failed requests (exit 1 if any failed)"),
    ];

    /// <summary>The usage text.</summary>
    public static string Usage =>
        "usage: dotnet run --project AppHost -- [verb] [options]\n\nverbs:\n" +
        string.Join("\n", Verbs.Select(v => $"  {v.Verb,-15} {v.Help}")) +
        "\n\noptions:\n  --purge         (down) also remove the registry volume\n" +
        "  --detach        (up) return after the summary instead of watching\n" +
        "  --no-watch      (up) do not watch sources\n" +
        "  --no-dashboard  (up) do not serve the dashboard\n" +
        VerifyRolloutFlags.Usage +
        "\nSettings come from DEVENV_* environment variables (DEVENV_NAME, DEVENV_REGISTRY_PORT, DEVENV_DASHBOARD_PORT...).";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="UsageException"/> for anything it does not know.</summary>
    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var verb = "up";
        var options = new CliOptions(verb);
        var sawVerb = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (options.Verb == "verify-rollout")
            {
                // verify-rollout's flags take values: everything after the verb is its own.
                options = options with { VerifyRollout = VerifyRolloutFlags.Parse(args.Skip(i).ToList()) };
                break;
            }

            switch (arg)
            {
                case "--purge": options = options with { Purge = true }; break;
                case "--detach": options = options with { Detach = true }; break;
                case "--no-watch": options = options with { NoWatch = true }; break;
                case "--no-dashboard": options = options with { NoDashboard = true }; break;
                case "-h" or "--help" or "help": return options with { Verb = "help" };
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new UsageException($"Unknown option '{arg}'.");
                    }

                    if (sawVerb)
                    {
                        throw new UsageException($"Unexpected '{arg}': only one verb at a time.");
                    }

                    if (!Verbs.Any(v => v.Verb == arg))
                    {
                        throw new UsageException($"Unknown verb '{arg}'.");
                    }

                    sawVerb = true;
                    options = options with { Verb = arg };
                    break;
            }
        }

        if (options.Purge && options.Verb != "down")
        {
            throw new UsageException("--purge only goes with 'down'.");
        }

        return options;
    }
}
