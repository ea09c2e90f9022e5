namespace DevEnv.AppHost.Traffic;

/// <summary>
/// Proves a rollout drops no request: sends constant-rate load to a URL, lets a steady-state baseline build,
/// invokes the injected rollout action (the product passes <c>kubectl rollout restart</c> + <c>rollout status</c>;
/// the test harness passes its own rolling update), keeps the load on while it runs and a little after, and
/// reports each phase.
/// </summary>
public sealed class RolloutVerifier
{
    private readonly LoadGenerator _generator;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier; <paramref name="timeProvider"/> defaults to the system clock.</summary>
    public RolloutVerifier(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _generator = new LoadGenerator(_time);
    }

    /// <summary>
    /// Runs load against <see cref="LoadOptions.Target"/> and <paramref name="restartRollout"/> under it. An exception
    /// from the action is captured in <see cref="RolloutVerification.RolloutError"/> (the load report is still useful);
    /// cancelling <paramref name="cancellationToken"/> aborts everything and throws.
    /// </summary>
    public async Task<RolloutVerification> VerifyAsync(RolloutVerifierOptions options, Func<CancellationToken, Task> restartRollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(restartRollout);
        // The load runs until stopped; the duration is only an upper bound.
        var load = options.Load with { Duration = options.SteadyState + options.RolloutTimeout + options.Settle + TimeSpan.FromSeconds(1) };
        await using var run = _generator.Start(load, cancellationToken);

        await Task.Delay(options.SteadyState, _time, cancellationToken).ConfigureAwait(false);
        var started = run.Elapsed;
        Exception? error = null;
        using (var rolloutDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            rolloutDeadline.CancelAfter(options.RolloutTimeout);
            try
            {
                await restartRollout(rolloutDeadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                error = ex;
            }
        }
        var ended = run.Elapsed;
        await Task.Delay(options.Settle, _time, cancellationToken).ConfigureAwait(false);
        var overall = await run.StopAsync().ConfigureAwait(false);
        return new RolloutVerification
        {
            Overall = overall,
            SteadyState = overall.Slice(TimeSpan.Zero, started),
            Rollout = overall.Slice(started, ended),
            Settle = overall.Slice(ended, TimeSpan.MaxValue),
            RolloutStarted = started,
            RolloutEnded = ended,
            RolloutError = error,
        };
    }
}
