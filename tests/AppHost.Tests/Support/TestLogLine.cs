namespace DevEnv.AppHost.Tests.Support;

/// <summary>One line a resource logged.</summary>
/// <param name="Text">The line.</param>
/// <param name="IsError">Whether it was logged as an error.</param>
public sealed record TestLogLine(string Text, bool IsError);
