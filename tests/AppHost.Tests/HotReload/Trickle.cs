namespace DevEnv.AppHost.Tests.HotReload;

/// <summary>A steady trickle of GET / over the replicas in rotation (or one Service address), each request on a new connection, failures counted.</summary>
public sealed class Trickle : IDisposable
{
    /// <summary>Requests per second.</summary>
    public const int PerSecond = 20;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private long _total;
    private long _failed;

    /// <summary>Starts sending to the address <paramref name="next"/> gives for each request.</summary>
    public Trickle(Func<Uri> next) => _running = RunAsync(next, _stop.Token);

    /// <summary>Requests sent and failed so far.</summary>
    public (long Total, long Failed) Snapshot() => (Interlocked.Read(ref _total), Interlocked.Read(ref _failed));

    private async Task RunAsync(Func<Uri> next, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / PerSecond));
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            _ = SendAsync(next(), stopping);
        }
    }

    private async Task SendAsync(Uri address, CancellationToken stopping)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(address, stopping).ConfigureAwait(false);
            Interlocked.Increment(ref _total);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failed);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            Interlocked.Increment(ref _total);
            Interlocked.Increment(ref _failed);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _running.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
