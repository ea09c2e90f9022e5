using Microsoft.Extensions.Logging;

namespace DevEnv.Hosting.Cli;

/// <summary>A resource's log for the verbs that run without the dashboard: one line per entry, prefixed with the resource.</summary>
/// <param name="resource">The resource's name.</param>
/// <param name="writer">Where lines go (standard error, so standard output stays the verb's result).</param>
public sealed class ConsoleResourceLogger(string resource, TextWriter writer) : ILogger
{
    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var marker = logLevel >= LogLevel.Error ? " error:" : "";
        lock (writer)
        {
            foreach (var line in formatter(state, exception).Split('\n'))
            {
                writer.WriteLine($"{resource}:{marker} {line.TrimEnd('\r')}");
            }
        }
    }
}
