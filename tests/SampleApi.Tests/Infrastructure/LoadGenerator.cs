using System.Collections.Concurrent;
using System.Diagnostics;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// Concurrent request loops against one base address. Each loop keeps sending until
/// <see cref="StopSendingAt"/> (on the shared test clock), which models the moment load balancers
/// have stopped routing new requests to the instance. Every outcome is recorded.
/// </summary>
public sealed class LoadGenerator(HttpClient client, Stopwatch clock)
{
    private readonly ConcurrentQueue<RequestOutcome> _outcomes = new();
    private readonly List<Task> _loops = [];
    private long _stopSendingTicks = long.MaxValue;

    /// <summary>When loops stop sending new requests; open-ended until set.</summary>
    public TimeSpan StopSendingAt
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _stopSendingTicks));
        set => Interlocked.Exchange(ref _stopSendingTicks, value.Ticks);
    }

    /// <summary>All outcomes so far.</summary>
    public IReadOnlyList<RequestOutcome> Outcomes => [.. _outcomes];

    /// <summary>Starts <paramref name="loops"/> loops requesting <paramref name="path"/>.</summary>
    public void Start(string path, int loops, TimeSpan pause, CancellationToken cancellationToken)
    {
        for (var i = 0; i < loops; i++)
        {
            _loops.Add(Task.Run(() => LoopAsync(path, pause, cancellationToken), cancellationToken));
        }
    }

    /// <summary>Sends one request and records it.</summary>
    public async Task<RequestOutcome> SendAsync(string path, CancellationToken cancellationToken)
    {
        var sentAt = clock.Elapsed;
        RequestOutcome outcome;
        try
        {
            using var response = await client.GetAsync(path, cancellationToken);
            await response.Content.ReadAsStringAsync(cancellationToken);
            outcome = new RequestOutcome(path, sentAt, clock.Elapsed, (int)response.StatusCode,
                response.Headers.ConnectionClose == true, null);
        }
        // Any exception is a failed request (a reset can even surface as a bare SocketException),
        // unless the test itself is being cancelled.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = new RequestOutcome(path, sentAt, clock.Elapsed, null, false, $"{ex.GetType().Name}: {ex.Message}");
        }

        _outcomes.Enqueue(outcome);
        return outcome;
    }

    /// <summary>Waits for every loop to finish its last request.</summary>
    public Task WhenStoppedAsync() => Task.WhenAll(_loops);

    private async Task LoopAsync(string path, TimeSpan pause, CancellationToken cancellationToken)
    {
        while (clock.Elapsed < StopSendingAt && !cancellationToken.IsCancellationRequested)
        {
            await SendAsync(path, cancellationToken);
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }
    }
}
