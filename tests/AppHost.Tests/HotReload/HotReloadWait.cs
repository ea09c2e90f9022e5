using System.Collections.Concurrent;
using System.Diagnostics;

namespace DevEnv.AppHost.Tests.HotReload;

/// <summary>The waits the Hot Reload tests share: a condition polled until a timeout that fails with the loop's log.</summary>
public static class HotReloadWait
{
    /// <summary>How long a dotnet-watch build, a replica's start or an update may take on the shared 2 cores.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>Polls <paramref name="condition"/> every 200 ms; fails with the last lines of <paramref name="log"/> at the timeout.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, ConcurrentQueue<string> log) =>
        UntilAsync(() => Task.FromResult(condition()), what, log);

    /// <inheritdoc cref="UntilAsync(Func{bool}, string, ConcurrentQueue{string})"/>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, ConcurrentQueue<string> log)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Timeout)
            {
                Assert.Fail($"Timed out after {Timeout.TotalMinutes:0} min waiting for {what}. Log:\n{string.Join('\n', log.TakeLast(60))}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The body of GET <paramref name="address"/>, or "" while nothing answers there.</summary>
    public static async Task<string> TryGetStringAsync(HttpClient http, Uri address, CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetStringAsync(address, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }
}
