using System.Globalization;
using System.Text.Json.Nodes;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Traffic;

namespace DevEnv.AppHost.Orchestration;

/// <summary>Wires the traffic verifier (AppHost/Traffic) to a deployment as its verify-rollout command.</summary>
public static class RolloutVerificationExtensions
{
    /// <summary>
    /// Offers verify-rollout on <paramref name="deployment"/>: constant load on the NodePort URL, the deployment's own
    /// restart-rollout under it, and the report (requests, errors, latency per phase) in the resource log and the result.
    /// </summary>
    /// <param name="builder">The environment being described.</param>
    /// <param name="deployment">The resource whose restart-rollout command is verified.</param>
    /// <param name="options">Load and phase lengths; default 100 requests/s on the NodePort for 10 s before and 5 s after.</param>
    public static void AddRolloutVerification(this DevEnvironmentBuilder builder, Resource deployment, RolloutVerifierOptions? options = null)
    {
        options ??= new RolloutVerifierOptions
        {
            Load = new LoadOptions
            {
                Target = new Uri($"http://127.0.0.1:{builder.Settings.NodePort.ToString(CultureInfo.InvariantCulture)}"),
                RatePerSecond = 100,
            },
        };
        builder.AddCommand(deployment, environment => new ResourceCommand(CommandNames.VerifyRollout, "Verify rollout", async (_, cancellationToken) =>
        {
            var verification = await new RolloutVerifier(environment.Time).VerifyAsync(options, async ct =>
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
                    : $"Requests failed during the rollout: {overall.Failed} of {overall.Requests}.";
            return new CommandResult(verification.Passed, headline + "\n" + table, JsonNode.Parse(verification.ToJson()));
        }));
    }
}
