using System.Globalization;
using System.Text.Json.Nodes;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Hosting;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Traffic;

namespace DevEnv.AppHost.Resources.Deployment;

/// <summary>verify-rollout: restarts the deployment's rollout under constant load through its NodePort and reports what clients saw.</summary>
public static class RolloutVerificationCommand
{
    /// <summary>Runs the verification against <paramref name="deployment"/> (reporting to its context) and returns the outcome.</summary>
    public static async Task<CommandResult> RunAsync(KubernetesDeploymentResource deployment, EnvironmentSettings settings, CancellationToken cancellationToken)
    {
        if (deployment.Context is not { } context)
        {
            return CommandResult.Fail($"{deployment.Name} is not initialized yet");
        }

        var options = new RolloutVerifierOptions
        {
            Load = new LoadOptions
            {
                Target = new Uri($"http://127.0.0.1:{settings.NodePort.ToString(CultureInfo.InvariantCulture)}"),
                RatePerSecond = 100,
            },
        };
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
                : $"Requests failed during the rollout: {overall.Failed} of {overall.Requests}.";
        return new CommandResult(verification.Passed, headline, JsonNode.Parse(verification.ToJson())) { Details = "```\n" + table + "\n```" };
    }
}
