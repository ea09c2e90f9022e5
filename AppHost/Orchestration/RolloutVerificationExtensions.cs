using System.Globalization;
using System.Text.Json.Nodes;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Traffic;

namespace DevEnv.AppHost.Orchestration;

/// <summary>Wires the traffic verifier (AppHost/Traffic) to a deployment as its verify-rollout command.</summary>
public static class RolloutVerificationExtensions
{
    /// <summary>Command argument: base URL to load instead of the NodePort.</summary>
    public const string UrlArgument = "url";

    /// <summary>Command argument: requests per second.</summary>
    public const string RateArgument = "rate";

    /// <summary>Command argument: seconds of steady state before the restart.</summary>
    public const string DurationArgument = "duration";

    /// <summary>The default verification: 100 requests/s on the NodePort, 10 s before the restart and 5 s after its end.</summary>
    public static RolloutVerifierOptions DefaultOptions(int nodePort) => new()
    {
        Load = new LoadOptions
        {
            Target = new Uri($"http://127.0.0.1:{nodePort.ToString(CultureInfo.InvariantCulture)}"),
            RatePerSecond = 100,
        },
    };

    /// <summary>
    /// Offers verify-rollout on <paramref name="deployment"/>: constant load on the NodePort URL, the deployment's own
    /// restart-rollout under it (which returns once the rollout has finished, so the load follows its real end), and
    /// the report (requests, errors, latency per phase, the generator's figures) in the resource log and the result.
    /// Arguments <see cref="UrlArgument"/>, <see cref="RateArgument"/>, <see cref="DurationArgument"/> override the options.
    /// </summary>
    /// <param name="builder">The environment being described.</param>
    /// <param name="deployment">The resource whose restart-rollout command is verified.</param>
    /// <param name="options">Load and phase lengths; default <see cref="DefaultOptions"/>.</param>
    public static void AddRolloutVerification(this DevEnvironmentBuilder builder, Resource deployment, RolloutVerifierOptions? options = null)
    {
        var defaults = options ?? DefaultOptions(builder.Settings.NodePort);
        builder.AddCommand(deployment, environment => new ResourceCommand(CommandNames.VerifyRollout, "Verify rollout", async (arguments, cancellationToken) =>
        {
            var verification = await new RolloutVerifier(environment.Time).VerifyAsync(WithArguments(defaults, arguments), async ct =>
            {
                var restart = await environment.ExecuteCommandAsync(deployment.Name, CommandNames.RestartRollout, null, ct).ConfigureAwait(false);
                if (!restart.Success)
                {
                    throw new InvalidOperationException($"restart-rollout failed: {restart.Message}");
                }
            }, cancellationToken).ConfigureAwait(false);

            var table = verification.ToTable();
            environment.ContextOf(deployment.Name).Log.Info(table);
            var overall = verification.Overall;
            var headline = verification.Passed
                ? $"Rollout verified: {overall.Failed} of {overall.Requests} requests failed."
                : verification.RolloutError is { } error
                    ? $"Rollout failed: {ErrorText.Describe(error)}"
                    : $"Rollout not verified: {verification.Problems[0]}.";
            return new CommandResult(verification.Passed, headline + "\n" + table, JsonNode.Parse(verification.ToJson()));
        }));
    }

    /// <summary><paramref name="options"/> with the command's arguments applied; throws <see cref="ArgumentException"/> naming a bad one.</summary>
    public static RolloutVerifierOptions WithArguments(RolloutVerifierOptions options, IReadOnlyDictionary<string, string> arguments)
    {
        var load = options.Load;
        if (arguments.TryGetValue(UrlArgument, out var url))
        {
            load = load with { Target = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" ? uri : throw new ArgumentException($"url '{url}' is not an absolute http:// URL") };
        }
        if (arguments.TryGetValue(RateArgument, out var rate))
        {
            load = load with { RatePerSecond = Positive(RateArgument, rate) };
        }
        var result = options with { Load = load };
        if (arguments.TryGetValue(DurationArgument, out var duration))
        {
            result = result with { SteadyState = TimeSpan.FromSeconds(Positive(DurationArgument, duration)) };
        }
        result.Load.Validate();
        return result;
    }

    private static double Positive(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && double.IsFinite(number)
            ? number
            : throw new ArgumentException($"{name} '{value}' is not a positive number");
}
