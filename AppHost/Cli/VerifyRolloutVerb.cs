using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Cli;

/// <summary>
/// <c>verify-rollout</c>: brings up what the rollout verifier needs (reusing what runs), then runs the
/// verify-rollout command of the resource that offers it (the traffic verifier: restart the rollout under
/// load and report requests, errors and latency).
/// </summary>
internal static class VerifyRolloutVerb
{
    public static async Task<int> RunAsync(DevEnvironment environment, CliConsole console, CancellationToken cancellationToken)
    {
        var verifier = environment.FindResourceOffering(CommandNames.VerifyRollout);
        if (verifier is null)
        {
            await console.Error.WriteLineAsync("error: no resource offers verify-rollout; wire the rollout verifier (AppHost/Traffic) into Program.cs.").ConfigureAwait(false);
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

        var result = await environment.ExecuteCommandAsync(verifier.Name, CommandNames.VerifyRollout, null, cancellationToken).ConfigureAwait(false);
        await (result.Success ? console.Out : console.Error).WriteLineAsync(result.Message).ConfigureAwait(false);
        return result.Success ? 0 : 1;
    }
}
