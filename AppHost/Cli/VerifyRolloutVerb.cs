using DevEnv.AppHost.Resources.Deployment;

namespace DevEnv.AppHost.Cli;

/// <summary><c>verify-rollout</c>: restarts the rollout of the first deployment with a NodePort under constant load and reports failed requests.</summary>
internal static class VerifyRolloutVerb
{
    public static async Task<int> RunAsync(EnvironmentModel model, CancellationToken cancellationToken)
    {
        var deployment = model.Deployments.FirstOrDefault();
        if (deployment is null)
        {
            await model.Console.Error.WriteLineAsync("error: no deployment to verify: deploy a project with WithKindDeployment in Program.cs.").ConfigureAwait(false);
            return 1;
        }

        model.ConsoleContext(deployment);
        var result = await RolloutVerificationCommand.RunAsync(deployment, deployment.Deployment.Settings, cancellationToken).ConfigureAwait(false);
        await (result.Success ? model.Console.Out : model.Console.Error).WriteLineAsync(result.Message + (result.Details is null ? "" : "\n" + result.Details.Trim('`', '\n'))).ConfigureAwait(false);
        return result.Success ? 0 : 1;
    }
}
