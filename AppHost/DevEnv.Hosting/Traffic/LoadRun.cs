using System.Collections.Concurrent;
using System.Globalization;

namespace DevEnv.Hosting.Traffic;

/// <summary>One load run in progress. Dispose stops it and releases its connections.</summary>
public sealed class LoadRun : IAsyncDisposable
{
    private readonly LoadOptions _options;
    private readonly TimeProvider _time;
    private readonly bool _untilStopped;
    private readonly CancellationTokenSource _stopScheduling = new();
    private readonly CancellationToken _abort;
    private readonly WireLedger _ledger;
    private readonly HttpMessageInvoker _client;
    private readonly ConcurrentQueue<RequestOutcome> _outcomes = new();
    private readonly Uri[] _uris;
    private long _startTimestamp;
    private Task _completion = Task.CompletedTask;
    private WarmUpReport? _warmUp;
    private int _inFlight;
    private long _wakeUps;

    private LoadRun(LoadOptions options, TimeProvider time, bool untilStopped, CancellationToken abort)
    {
        _options = options;
        _time = time;
        _untilStopped = untilStopped;
        _abort = abort;
        _ledger = new WireLedger(time);
        _client = new HttpMessageInvoker(LoadGenerator.CreateHandler(options, _ledger), disposeHandler: true);
        _uris = options.Paths.Select(path => new Uri(options.Target, path)).ToArray();
    }

    /// <summary>Time since the first scheduled request was due; the clock the outcomes' <see cref="RequestOutcome.Scheduled"/> use.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_startTimestamp);

    /// <summary>Requests finished so far.</summary>
    public int Completed => _outcomes.Count;

    /// <summary>Connections the run has opened so far.</summary>
    public long ConnectionsOpened => _ledger.ConnectionsOpened;

    /// <summary>Times the scheduler woke up from a sleep (a spinning scheduler wakes up millions of times).</summary>
    internal long SchedulerWakeUps => Interlocked.Read(ref _wakeUps);

    /// <summary>Warms the client up, then starts the schedule; returns once the first request is due.</summary>
    internal static async Task<LoadRun> StartAsync(LoadOptions options, TimeProvider time, bool untilStopped, CancellationToken abort)
    {
        var run = new LoadRun(options, time, untilStopped, abort);
        try
        {
            await run.WarmUpAsync().ConfigureAwait(false);
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        run._startTimestamp = time.GetTimestamp();
        run._completion = Task.Run(run.ScheduleAsync, CancellationToken.None);
        return run;
    }

    /// <summary>Waits until every scheduled request has finished and returns the report.</summary>
    public async Task<LoadReport> WaitAsync()
    {
        await _completion.ConfigureAwait(false);
        _abort.ThrowIfCancellationRequested();
        return LoadReport.Create(_options, _outcomes.ToArray(), _warmUp);
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

    /// <summary>
    /// A few requests per path, in sequence per path, before the clock starts: the client's JIT and first connections
    /// otherwise show up as the steady state's slowest requests. Bounded by <see cref="LoadOptions.WarmUpLimit"/>.
    /// </summary>
    private async Task WarmUpAsync()
    {
        if (_options.WarmUpRequests == 0) return;
        var started = _time.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_abort);
        limit.CancelAfter(_options.WarmUpLimit);
        long sent = 0, failed = 0, id = 0;
        var lanes = Enumerable.Range(0, _uris.Length).Select(async lane =>
        {
            for (var i = lane; i < _options.WarmUpRequests && !limit.IsCancellationRequested; i += _uris.Length)
            {
                var (_, failure, wire) = await SendOneAsync(-Interlocked.Increment(ref id), _uris[lane], limit.Token).ConfigureAwait(false);
                // Counted when it reached the wire, so the figure matches what the server received.
                if (wire.WrittenTimestamp != 0) Interlocked.Increment(ref sent);
                if (failure is not null && !limit.IsCancellationRequested) Interlocked.Increment(ref failed);
            }
        });
        await Task.WhenAll(lanes).ConfigureAwait(false);
        _abort.ThrowIfCancellationRequested();
        _warmUp = new WarmUpReport(sent, failed, _time.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task ScheduleAsync()
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopScheduling.Token, _abort);
        var inFlight = new List<Task>();
        var total = _options.TotalRequests;
        long next = 0;
        while ((_untilStopped || next < total) && !linked.IsCancellationRequested)
        {
            var now = Elapsed;
            var due = DueTime(next);
            if (due > now)
            {
                // Task.Delay returns at once for less than 1 ms (its timer counts whole milliseconds), which made
                // this loop spin a core at high rates: sleep at least 1 ms and dispatch whatever is due on waking.
                var sleep = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((due - now).TotalMilliseconds)));
                try { await Task.Delay(sleep, _time, linked.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                Interlocked.Increment(ref _wakeUps);
                continue;
            }
            // Catch up on everything due by now: a late wake-up must not lower the rate.
            while ((_untilStopped || next < total) && DueTime(next) <= now)
            {
                var scheduled = DueTime(next);
                inFlight.Add(SendScheduledAsync(next, scheduled, Elapsed - scheduled));
                next++;
            }
            if (inFlight.Count > 4096) inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private TimeSpan DueTime(long index) => TimeSpan.FromSeconds(index / _options.RatePerSecond);

    private async Task SendScheduledAsync(long index, TimeSpan scheduled, TimeSpan lag)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            var slot = (int)(index % _uris.Length);
            var (status, failure, wire) = await SendOneAsync(index, _uris[slot], _abort).ConfigureAwait(false);
            if (_abort.IsCancellationRequested) return;
            var wait = _time.GetElapsedTime(wire.CreatedTimestamp, wire.WrittenTimestamp != 0 ? wire.WrittenTimestamp : _time.GetTimestamp());
            var outcome = new RequestOutcome(scheduled, Elapsed - scheduled, status, failure, _options.Paths[slot], lag, wait, inFlight, wire.ResendBlocked);
            _outcomes.Enqueue(outcome);
            LoadMetrics.Record(_options.Target, outcome);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Sends one request (id in the header, once on the wire) and classifies how it ended.</summary>
    private async Task<(int Status, FailureKind? Failure, RequestWire Wire)> SendOneAsync(long id, Uri uri, CancellationToken abort)
    {
        var wire = _ledger.Begin(id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(_options.RequestTimeout);
        var status = 0;
        FailureKind? failure;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri)
            {
                Version = System.Net.HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.TryAddWithoutValidation(WireLedger.HeaderName, id.ToString(CultureInfo.InvariantCulture));
            if (!_options.KeepAlive) request.Headers.ConnectionClose = true;
            using var response = await _client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            // Read the whole body: a connection cut mid-body is a failure too.
            await response.Content.CopyToAsync(Stream.Null, timeout.Token).ConfigureAwait(false);
            failure = FailureClassifier.ClassifyStatus(status);
        }
        catch (Exception ex)
        {
            failure = FailureClassifier.Classify(ex, timedOut: timeout.IsCancellationRequested && !abort.IsCancellationRequested, wire);
        }
        finally
        {
            _ledger.Complete(wire);
        }
        return (status, failure, wire);
    }
}
