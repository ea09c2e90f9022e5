using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DevEnv.Hosting.Model;
using Microsoft.Extensions.Logging;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>Records what resources log, per resource name, for assertions (the AppHost writes them to Aspire's resource loggers).</summary>
public sealed class TestLogs
{
    private readonly ConcurrentDictionary<string, List<TestLogLine>> _lines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<Channel<TestLogLine>>> _watchers = new(StringComparer.Ordinal);

    /// <summary>A resource log that records into this instance.</summary>
    public ResourceLog For(string resource) => new(Logger(resource));

    /// <summary>A logger that records into this instance.</summary>
    public ILogger Logger(string resource) => new RecordingLogger(this, resource);

    /// <summary>What <paramref name="resource"/> logged so far.</summary>
    public IReadOnlyList<TestLogLine> GetBacklog(string resource)
    {
        var lines = _lines.GetOrAdd(resource, _ => []);
        lock (lines)
        {
            return [.. lines];
        }
    }

    /// <summary>The backlog, then every new line of <paramref name="resource"/>, until cancelled.</summary>
    public async IAsyncEnumerable<TestLogLine> WatchAsync(string resource, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<TestLogLine>();
        var lines = _lines.GetOrAdd(resource, _ => []);
        var watchers = _watchers.GetOrAdd(resource, _ => []);
        lock (lines)
        {
            foreach (var line in lines)
            {
                channel.Writer.TryWrite(line);
            }

            lock (watchers)
            {
                watchers.Add(channel);
            }
        }

        await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    private void Write(string resource, TestLogLine line)
    {
        var lines = _lines.GetOrAdd(resource, _ => []);
        var watchers = _watchers.GetOrAdd(resource, _ => []);
        lock (lines)
        {
            lines.Add(line);
            lock (watchers)
            {
                foreach (var watcher in watchers)
                {
                    watcher.Writer.TryWrite(line);
                }
            }
        }
    }

    private sealed class RecordingLogger(TestLogs logs, string resource) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Write(resource, new TestLogLine(formatter(state, exception), logLevel >= LogLevel.Error));
    }
}
