namespace DevEnv.Hosting.HotReload;

/// <summary>
/// dotnet-watch built the project and started "the app" (iteration 1 at start, one more after each restart a rude edit
/// forces): its output folder now holds the build the deltas are made against, and <see cref="PipeName"/> is where
/// dotnet-watch sends them.
/// </summary>
public sealed record WatchBaseline(int Iteration, string PipeName);
