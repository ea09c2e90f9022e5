using System.Globalization;
using System.Text.Json.Nodes;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Traffic;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>verify-rollout: restarts the deployment's rollout under constant load and reports what clients saw.</summary>
public static class RolloutVerificationCommand
{
    /// <summary>Argument: the URL to load (default the deployment's NodePort on 127.0.0.1).</summary>
    public const string UrlArgument = "url";

    /// <summary>Argument: requests per second.</summary>
    public const string RateArgument = "rate";

    /// <summary>Argument: seconds of steady load before the restart.</summary>
    public const string DurationArgument = "duration";

    /// <summary>The default verification: 100 requests per second against the NodePort on 127.0.0.1.</summary>
    public static RolloutVerifierOptions DefaultOptions(int nodePort) => new()
    {
        Load = new LoadOptions
        {
            Target = new Uri($"http://127.0.0.1:{nodePort.ToString(CultureInfo.InvariantCulture)}"),
            RatePerSecond = 100,
        },
    };

    /// <summary>The options with the command's arguments applied; a bad argument throws <see cref="ArgumentException"/> naming it.</summary>
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

    /// <summary>Runs the verification against <paramref name="deployment"/> (reporting to its context) and returns the outcome.</summary>
    public static async Task<CommandResult> RunAsync(KubernetesDeploymentResource deployment, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        if (deployment.Context is not { } context)
        {
            return CommandResult.Fail($"{deployment.Name} is not initialized yet");
        }

        var nodePort = deployment.Deployment.NodePort ?? deployment.Deployment.Settings.NodePort;
        var options = WithArguments(DefaultOptions(nodePort), arguments);
        var restart = deployment.Deployment.GetCommands(context).First(c => c.Name == CommandNames.RestartRollout);
        var verification = await new RolloutVerifier(TimeProvider.System).VerifyAsync(options, async ct =>
        {
            var result = await restart.ExecuteAsync(new Dictionary<string, string>(), ct).ConfigureAwait(false);
            if (!result.Success)
            {
                throw new InvalidOperationException($"restart-rollout failed: {result.Message}");
            }
        }, cancellationToken).ConfigureAwait(false);

        var table = verification.ToTable();
        context.Log.Info(table);
        var overall = verification.Overall;
        var headline = verification.Passed
            ? $"Rollout verified: {overall.Failed} of {overall.Requests} requests failed."
            : verification.RolloutError is { } error
                ? $"Rollout failed: {ErrorText.Describe(error)}"
                : $"Rollout not verified: {verification.Problems[0]}.";
        return new CommandResult(verification.Passed, headline, JsonNode.Parse(verification.ToJson())) { Details = "```\n" + table + "\n```" };
    }

    private static double Positive(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 && double.IsFinite(number)
            ? number
            : throw new ArgumentException($"{name} '{value}' is not a positive number");
}
