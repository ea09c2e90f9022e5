namespace DevEnv.Hosting.Application;

/// <summary>
/// Turns an exception chain into one line a user can act on: each layer's message, joined with ": ",
/// skipping an inner message the outer one already repeats. No stack traces for expected failures.
/// </summary>
public static class ErrorText
{
    /// <summary>The messages of <paramref name="exception"/> and its inner exceptions.</summary>
    public static string Describe(Exception exception)
    {
        if (exception is AggregateException aggregate)
        {
            return string.Join("; ", aggregate.Flatten().InnerExceptions.Select(Describe));
        }

        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var message = e.Message.Trim();
            if (message.Length > 0 && !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message);
            }
        }

        return parts.Count == 0 ? exception.GetType().Name : string.Join(": ", parts);
    }
}
