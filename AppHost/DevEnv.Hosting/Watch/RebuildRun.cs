namespace DevEnv.Hosting.Watch;

/// <summary>One run of the rebuild pipeline.</summary>
/// <param name="Number">1 for the first run, increasing.</param>
/// <param name="BuildToken">Cancelled when newer changes supersede this run's build; use it for build and push.</param>
/// <param name="LifetimeToken">Cancelled only when watching stops; use it for the roll-out.</param>
public sealed record RebuildRun(int Number, CancellationToken BuildToken, CancellationToken LifetimeToken);
