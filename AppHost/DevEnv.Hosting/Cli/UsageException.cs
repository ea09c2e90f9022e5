namespace DevEnv.Hosting.Cli;

/// <summary>The command line was wrong; the message says what, and the usage follows it.</summary>
public sealed class UsageException(string message) : Exception(message);
