namespace DevEnv.AppHost.Model;

/// <summary>One line of a resource's log.</summary>
/// <param name="Resource">The resource that wrote it.</param>
/// <param name="Sequence">Increasing per resource, so a reader can resume without duplicates.</param>
/// <param name="Timestamp">When it was written.</param>
/// <param name="Text">The line, without a trailing newline.</param>
/// <param name="IsError">Whether it came from stderr or reports a failure.</param>
public sealed record LogLine(string Resource, long Sequence, DateTimeOffset Timestamp, string Text, bool IsError);
