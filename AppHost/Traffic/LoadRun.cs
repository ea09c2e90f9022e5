using System.Collections.Concurrent;

namespace DevEnv.AppHost.Traffic;

/// <summary>One load run in progress. Dispose stops it and releases its connections.</summary>
public sealed class LoadRun : IAsyncDisposable
{
    private readonly LoadOptions _options;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly CancellationTokenSource _stopScheduling = new();
    private readonly CancellationToken _abort;
    private readonly HttpMessageInvoker _client;
    private readonly ConcurrentQueue<RequestOutcome> _outcomes = new();
    private readonly Task _completion;
    private readonly Uri[] _uris;

    internal LoadRun(LoadOptions options, TimeProvider time, CancellationToken abort)
    {
        _options = options;
        _time = time;
        _abort = abort;
        _client = new HttpMessageInvoker(LoadGenerator.CreateHandler(options), disposeHandler: true);
        _uris = options.Paths.Select(path => new Uri(options.Target, path)).ToArray();
        _startTimestamp = time.GetTimestamp();
        _completion = Task.Run(ScheduleAsync, CancellationToken.None);
    }

    /// <summary>Time since the run started; the clock the outcomes' <see cref="RequestOutcome.Scheduled"/> use.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_startTimestamp);

    /// <summary>Requests finished so far.</summary>
    public int Completed => _outcomes.Count;

    /// <summary>Waits until every scheduled request has finished and returns the report.</summary>
    public async Task<LoadReport> WaitAsync()
    {
        await _completion.ConfigureAwait(false);
        _abort.ThrowIfCancellationRequested();
        return LoadReport.Create(_options, _outcomes.ToArray());
    }

    /// <summary>Stops scheduling new requests, waits for those in flight (bounded by the request timeout) and returns the report.</summary>
    public Task<LoadReport> StopAsync()
    {
        _stopScheduling.Cancel();
        return WaitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stopScheduling.Cancel();
        try { await _completion.ConfigureAwait(false); }
        catch (OperationCanceledException) { /* aborted by the caller: nothing left to report */ }
        _client.Dispose();
        _stopScheduling.Dispose();
    }

    private async Task ScheduleAsync()
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopScheduling.Token, _abort);
        var inFlight = new List<Task>();
        var total = _options.TotalRequests;
        long next = 0;
        while (next < total && !linked.IsCancellationRequested)
        {
            var now = Elapsed;
            var due = DueTime(next);
            if (due > now)
            {
                try { await Task.Delay(due - now, _time, linked.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            // Catch up on everything due by now: a late wake-up must not lower the rate.
            while (next < total && DueTime(next) <= now)
            {
                inFlight.Add(SendAsync(next, DueTime(next)));
                next++;
            }
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private TimeSpan DueTime(long index) => TimeSpan.FromSeconds(index / _options.RatePerSecond);

    private async Task SendAsync(long index, TimeSpan scheduled)
    {
        var uri = _uris[index % _uris.Length];
        var path = _options.Paths[(int)(index % _uris.Length)];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort);
        timeout.CancelAfter(_options.RequestTimeout);
        int status = 0;
        FailureKind? failure;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri)
            {
                Version = System.Net.HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            if (!_options.KeepAlive) request.Headers.ConnectionClose = true;
            using var response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            // Read the whole body: a connection cut mid-body is a failure too.
            await response.Content.CopyToAsync(Stream.Null, timeout.Token).ConfigureAwait(false);
            failure = FailureClassifier.ClassifyStatus(status);
        }
        catch (Exception ex) when (!_abort.IsCancellationRequested)
        {
            failure = FailureClassifier.Classify(ex, timedOut: timeout.IsCancellationRequested);
        }
        catch (Exception) when (_abort.IsCancellationRequested)
        {
            return;
        }
        _outcomes.Enqueue(new RequestOutcome(scheduled, Elapsed - scheduled, status, failure, path));
    }
}
