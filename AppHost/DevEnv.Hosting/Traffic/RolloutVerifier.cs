namespace DevEnv.Hosting.Traffic;

/// <summary>
/// Proves a rollout drops no request: sends constant-rate load to a URL, lets a steady-state baseline build,
/// invokes the injected rollout action (the product passes <c>kubectl rollout restart</c> + <c>rollout status</c>;
/// the test harness passes its own rolling update), keeps the load on until the action has really returned and the
/// settle time after it, and reports each phase.
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
    /// Runs load against <see cref="LoadOptions.Target"/> and <paramref name="restartRollout"/> under it: the action
    /// must return when the rollout has finished (e.g. after <c>kubectl rollout status</c>), because the load follows
    /// its return, not a duration guessed in advance. The action gets a token cancelled after
    /// <see cref="RolloutVerifierOptions.RolloutTimeout"/>. An exception from it is captured in
    /// <see cref="RolloutVerification.RolloutError"/> (the load report is still useful); cancelling
    /// <paramref name="cancellationToken"/> aborts everything and throws.
    /// </summary>
    public async Task<RolloutVerification> VerifyAsync(RolloutVerifierOptions options, Func<CancellationToken, Task> restartRollout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(restartRollout);
        await using var run = await _generator.StartUntilStoppedAsync(options.Load, cancellationToken).ConfigureAwait(false);

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
        var loadEnded = run.Elapsed;
        var overall = await run.StopAsync().ConfigureAwait(false);
        return new RolloutVerification
        {
            Overall = overall,
            SteadyState = overall.Slice(TimeSpan.Zero, started),
            Rollout = overall.Slice(started, ended),
            Settle = overall.Slice(ended, TimeSpan.MaxValue),
            RolloutStarted = started,
            RolloutEnded = ended,
            LoadEnded = loadEnded,
            RolloutError = error,
        };
    }
}
