namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// TEST-ONLY stand-in for the kubelet's readiness probe feeding the endpoint controller: polls one replica's
/// readiness path every period. Ready puts it in the proxy's rotation at once; not-ready (or termination) takes
/// it out only after the propagation delay, as endpoint updates reach kube-proxy late in a real cluster.
/// </summary>
internal sealed class EndpointProbe : IAsyncDisposable
{
    private readonly Replica _replica;
    private readonly ServiceProxy _proxy;
    private readonly HarnessOptions _options;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _firstReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EndpointProbe(Replica replica, ServiceProxy proxy, HarnessOptions options, TimeProvider time, long origin)
    {
        _replica = replica;
        _proxy = proxy;
        _options = options;
        _time = time;
        _origin = origin;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(1) };
        _proxy.Add(replica);
        _loop = LoopAsync();
    }

    /// <summary>Completes when the replica is first seen ready.</summary>
    public Task FirstReady => _firstReady.Task;

    /// <summary>Termination began: the endpoint leaves the rotation after the propagation delay, whatever the probe says.</summary>
    public async Task BeginTerminationAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(_options.EndpointPropagationDelay, _time, cancellationToken).ConfigureAwait(false);
        _proxy.Remove(_replica);
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { /* the harness was torn down meanwhile */ }
    }

    private async Task LoopAsync()
    {
        var uri = new Uri($"http://127.0.0.1:{_replica.ManagementHostPort}{_options.ReadinessPath}");
        long? notReadySince = null;
        using var timer = new PeriodicTimer(_options.ReadinessPeriod, _time);
        // Bounded by the harness: the probe stops on termination or dispose; the count bound is a safety net.
        for (var i = 0; i < 1_000_000 && !_stop.IsCancellationRequested; i++)
        {
            var ready = await ProbeAsync(uri).ConfigureAwait(false);
            if (_stop.IsCancellationRequested) return;
            if (ready)
            {
                notReadySince = null;
                if (_replica.Ready is null)
                {
                    _replica.Ready = _time.GetElapsedTime(_origin);
                    _firstReady.TrySetResult();
                }
                if (!_replica.Terminating) _proxy.SetReady(_replica, true);
            }
            else
            {
                notReadySince ??= _time.GetTimestamp();
                if (_time.GetElapsedTime(notReadySince.Value) >= _options.EndpointPropagationDelay) _proxy.SetReady(_replica, false);
            }
            try
            {
                if (!await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) return;
            }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task<bool> ProbeAsync(Uri uri)
    {
        try
        {
            using var response = await _http.GetAsync(uri, _stop.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        _proxy.Remove(_replica);
        _http.Dispose();
        _stop.Dispose();
    }
}
