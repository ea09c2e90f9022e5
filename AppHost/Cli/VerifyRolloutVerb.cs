using System.Globalization;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Traffic;

namespace DevEnv.AppHost.Cli;

/// <summary>
/// <c>verify-rollout</c>: brings up what the rollout verifier needs (reusing what runs), then runs the
/// verify-rollout command of the resource that offers it (the traffic verifier: restart the rollout under
/// load and report requests, errors and latency). With <c>--no-restart</c> it only measures the URL, touching
/// nothing. The exit code is 1 when any request failed (or nothing was measured).
/// </summary>
internal static class VerifyRolloutVerb
{
    public static async Task<int> RunAsync(DevEnvironment environment, VerifyRolloutFlags flags, CliConsole console, CancellationToken cancellationToken)
    {
        if (flags.NoRestart)
        {
            return await MeasureAsync(environment, flags, console, cancellationToken).ConfigureAwait(false);
        }

        var verifier = environment.FindResourceOffering(CommandNames.VerifyRollout);
        if (verifier is null)
        {
            await console.Error.WriteLineAsync("error: no resource offers verify-rollout; wire the rollout verifier (AppHost/Traffic) into Program.cs, or measure only with --no-restart.").ConfigureAwait(false);
            return 1;
        }

        using var progress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lines = PlainProgress.RunAsync(environment.Notifications, environment.Time, console.Error, skipReplay: false, progress.Token);
        bool ok;
        try
        {
            ok = await environment.StartAsync([verifier], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await progress.CancelAsync().ConfigureAwait(false);
            await lines.ConfigureAwait(false);
        }

        if (!ok)
        {
            var s = environment.Notifications.Get(verifier.Name);
            await console.Error.WriteLineAsync($"error: cannot verify the rollout: {s.Name} is {s.State}: {s.Reason}").ConfigureAwait(false);
            return 1;
        }

        var result = await environment.ExecuteCommandAsync(verifier.Name, CommandNames.VerifyRollout, Arguments(flags), cancellationToken).ConfigureAwait(false);
        await (result.Success ? console.Out : console.Error).WriteLineAsync(result.Message).ConfigureAwait(false);
        return result.Success ? 0 : 1;
    }

    /// <summary>Only the load: the URL (default the NodePort) for the duration, then the table; nothing is started or restarted.</summary>
    private static async Task<int> MeasureAsync(DevEnvironment environment, VerifyRolloutFlags flags, CliConsole console, CancellationToken cancellationToken)
    {
        var defaults = RolloutVerificationExtensions.DefaultOptions(environment.Settings.NodePort).Load;
        var load = defaults with
        {
            Target = flags.Url ?? defaults.Target,
            RatePerSecond = flags.Rate ?? defaults.RatePerSecond,
            Duration = TimeSpan.FromSeconds(flags.DurationSeconds ?? 30),
        };
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Measuring {load.Target} at {load.RatePerSecond:0.#} req/s for {load.Duration.TotalSeconds:0.#} s (no restart)...")).ConfigureAwait(false);
        var report = await new LoadGenerator(environment.Time).RunAsync(load, cancellationToken).ConfigureAwait(false);
        var table = ReportTable.Render([("measured", report)]);
        if (report.Requests > 0 && report.Failed == 0)
        {
            await console.Out.WriteLineAsync($"No request failed: 0 of {report.Requests} requests failed.\n{table}").ConfigureAwait(false);
            return 0;
        }

        await console.Error.WriteLineAsync($"Requests failed: {report.Failed} of {report.Requests}.\n{table}").ConfigureAwait(false);
        return 1;
    }

    private static Dictionary<string, string> Arguments(VerifyRolloutFlags flags)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (flags.Url is { } url) arguments[RolloutVerificationExtensions.UrlArgument] = url.ToString();
        if (flags.Rate is { } rate) arguments[RolloutVerificationExtensions.RateArgument] = rate.ToString(CultureInfo.InvariantCulture);
        if (flags.DurationSeconds is { } seconds) arguments[RolloutVerificationExtensions.DurationArgument] = seconds.ToString(CultureInfo.InvariantCulture);
        return arguments;
    }
}
