namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>Exit code and output of a finished command.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);
