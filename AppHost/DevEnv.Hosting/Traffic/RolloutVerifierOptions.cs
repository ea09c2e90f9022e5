namespace DevEnv.Hosting.Traffic;

/// <summary>How <see cref="RolloutVerifier"/> runs: load before, during and after the rollout.</summary>
public sealed record RolloutVerifierOptions
{
    /// <summary>The load; its <see cref="LoadOptions.Duration"/> is ignored: it runs the steady state, then until the rollout action returns, then the settle time.</summary>
    public required LoadOptions Load { get; init; }

    /// <summary>Load before the rollout starts, the baseline. Default 10 s.</summary>
    public TimeSpan SteadyState { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load after the rollout action returns, so late failures (old pods dying) are seen. Default 5 s.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The rollout action's token is cancelled after this long (the load still waits for the action to return). Default 5 min.</summary>
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
