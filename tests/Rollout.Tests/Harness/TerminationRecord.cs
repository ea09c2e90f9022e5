namespace DevEnv.Rollout.Tests.Harness;

/// <summary>How one pod's termination went: its exit code and whether it exited on its own before the grace period.</summary>
/// <param name="Replica">Container name.</param>
/// <param name="ExitCode">The container's exit code (137 means SIGKILL).</param>
/// <param name="ExitedBeforeGrace">True when it exited after SIGTERM without needing SIGKILL.</param>
/// <param name="PreStopExitCode">Exit code of the exec preStop hook; null when not run, -1 when it could not run or timed out.</param>
/// <param name="Duration">From the start of termination to the exit.</param>
public sealed record TerminationRecord(string Replica, int ExitCode, bool ExitedBeforeGrace, int? PreStopExitCode, TimeSpan Duration);
