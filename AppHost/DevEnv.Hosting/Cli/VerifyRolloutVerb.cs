using System.Globalization;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Traffic;

namespace DevEnv.Hosting.Cli;

/// <summary>
/// <c>verify-rollout</c>: restarts the rollout of the first deployment under constant load and reports failed
/// requests; with <c>--no-restart</c> it only measures (any URL, no cluster needed). Exit code 1 when a request failed.
/// </summary>
internal static class VerifyRolloutVerb
{
    public static async Task<int> RunAsync(EnvironmentModel model, VerifyRolloutFlags flags, CancellationToken cancellationToken)
    {
        if (flags.NoRestart)
        {
            return await MeasureAsync(model, flags, cancellationToken).ConfigureAwait(false);
        }

        var deployment = model.Deployments.FirstOrDefault();
        if (deployment is null)
        {
            await model.Console.Error.WriteLineAsync("error: no deployment to verify: deploy a project with WithKindDeployment in Program.cs, or measure only with --no-restart.").ConfigureAwait(false);
            return 1;
        }

        model.ConsoleContext(deployment);
        var result = await RolloutVerificationCommand.RunAsync(deployment, Arguments(flags), cancellationToken).ConfigureAwait(false);
        await (result.Success ? model.Console.Out : model.Console.Error).WriteLineAsync(result.Message + (result.Details is null ? "" : "\n" + result.Details.Trim('`', '\n'))).ConfigureAwait(false);
        return result.Success ? 0 : 1;
    }

    private static async Task<int> MeasureAsync(EnvironmentModel model, VerifyRolloutFlags flags, CancellationToken cancellationToken)
    {
        var nodePort = model.Deployments.FirstOrDefault()?.Deployment.NodePort ?? model.Settings.NodePort;
        var defaults = RolloutVerificationCommand.DefaultOptions(nodePort).Load;
        var load = defaults with
        {
            Target = flags.Url ?? defaults.Target,
            RatePerSecond = flags.Rate ?? defaults.RatePerSecond,
            Duration = TimeSpan.FromSeconds(flags.DurationSeconds ?? 30),
        };
        await model.Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Measuring {load.Target} at {load.RatePerSecond:0.#} req/s for {load.Duration.TotalSeconds:0.#} s (no restart)...")).ConfigureAwait(false);
        var report = await new LoadGenerator(TimeProvider.System).RunAsync(load, cancellationToken).ConfigureAwait(false);
        var table = ReportTable.Render([("measured", report)]);
        if (report.Requests > 0 && report.Failed == 0)
        {
            await model.Console.Out.WriteLineAsync($"No request failed: 0 of {report.Requests} requests failed.\n{table}").ConfigureAwait(false);
            return 0;
        }

        await model.Console.Error.WriteLineAsync($"Requests failed: {report.Failed} of {report.Requests}.\n{table}").ConfigureAwait(false);
        return 1;
    }

    private static Dictionary<string, string> Arguments(VerifyRolloutFlags flags)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (flags.Url is { } url)
        {
            arguments[RolloutVerificationCommand.UrlArgument] = url.ToString();
        }

        if (flags.Rate is { } rate)
        {
            arguments[RolloutVerificationCommand.RateArgument] = rate.ToString(CultureInfo.InvariantCulture);
        }

        if (flags.DurationSeconds is { } seconds)
        {
            arguments[RolloutVerificationCommand.DurationArgument] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return arguments;
    }
}
