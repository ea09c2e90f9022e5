namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// TEST-ONLY stand-in for the kubelet's startup and readiness probes feeding the endpoint controller, with the
/// rendered probes' paths, ports, periods, timeouts and thresholds. The startup probe runs first; once it passes,
/// <see cref="StartupPassed"/> completes (the liveness probe starts then, as in the kubelet) and the readiness probe
/// takes over. Ready puts the replica in the proxy's rotation at once; failureThreshold failures in a row take it out;
/// termination takes it out after the propagation delay, whatever the probe says (endpoint updates reach kube-proxy
/// late in a real cluster). A startup probe that fails failureThreshold times makes the kubelet kill and restart the
/// container: the stand-in fails <see cref="FirstReady"/> instead, with the reason.
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
    private readonly TaskCompletionSource _startupPassed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EndpointProbe(Replica replica, ServiceProxy proxy, HarnessOptions options, TimeProvider time, long origin)
    {
        _replica = replica;
        _proxy = proxy;
        _options = options;
        _time = time;
        _origin = origin;
        // No pooled connections: each probe is a new connection, as the kubelet's are (it sets Connection: close).
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _proxy.Add(replica);
        _loop = LoopAsync();
    }

    /// <summary>Completes when the replica is first seen ready; faults when its startup probe ran out of failures.</summary>
    public Task FirstReady => _firstReady.Task;

    /// <summary>Completes when the startup probe passed (at once without one): when the kubelet starts liveness probing.</summary>
    public Task StartupPassed => _startupPassed.Task;

    /// <summary>Termination began: the endpoint leaves the rotation after the propagation delay, whatever the probe says.</summary>
    public async Task BeginTerminationAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(_options.EndpointPropagationDelay, _time, cancellationToken).ConfigureAwait(false);
        _proxy.Remove(_replica);
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { /* the harness was torn down meanwhile */ }
    }

    /// <summary>The kubelet killed the container (liveness): it leaves the rotation now.</summary>
    public void Killed() => _proxy.SetReady(_replica, false);

    private async Task LoopAsync()
    {
        try
        {
            if (_options.StartupProbe is { } startup && !await StartupAsync(startup).ConfigureAwait(false)) return;
            _startupPassed.TrySetResult();
            await ReadinessAsync(_options.ReadinessProbe).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { /* stopped: termination or dispose */ }
        finally
        {
            _startupPassed.TrySetCanceled();
            _firstReady.TrySetCanceled();
        }
    }

    private async Task<bool> StartupAsync(ProbeSpec startup)
    {
        await Task.Delay(startup.InitialDelay, _time, _stop.Token).ConfigureAwait(false);
        using var timer = new PeriodicTimer(startup.Period, _time);
        var failures = 0;
        string last = "";
        // Bounded: the probe passes, or failureThreshold failures end it.
        while (true)
        {
            var (ok, status) = await ProbeAsync(startup).ConfigureAwait(false);
            if (ok) return true;
            last = status;
            if (++failures >= startup.FailureThreshold)
            {
                _firstReady.TrySetException(new TimeoutException(
                    $"{_replica.Name}: startup probe {startup.Path} on port {startup.Port} failed {failures} times every {startup.Period.TotalSeconds:0.#} s (last: {last}); the kubelet would kill and restart the container"));
                return false;
            }
            if (!await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) return false;
        }
    }

    private async Task ReadinessAsync(ProbeSpec readiness)
    {
        await Task.Delay(readiness.InitialDelay, _time, _stop.Token).ConfigureAwait(false);
        using var timer = new PeriodicTimer(readiness.Period, _time);
        var failures = 0;
        // Bounded by the harness: the probe stops on termination or dispose; the count bound is a safety net.
        for (var i = 0; i < 1_000_000 && !_stop.IsCancellationRequested; i++)
        {
            var (ready, _) = await ProbeAsync(readiness).ConfigureAwait(false);
            if (_stop.IsCancellationRequested) return;
            if (ready)
            {
                failures = 0;
                if (_replica.Ready is null)
                {
                    _replica.Ready = _time.GetElapsedTime(_origin);
                    _firstReady.TrySetResult();
                }
                if (!_replica.Terminating && _replica.KilledByLiveness is null) _proxy.SetReady(_replica, true);
            }
            else if (++failures >= readiness.FailureThreshold)
            {
                _proxy.SetReady(_replica, false);
            }
            if (!await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) return;
        }
    }

    // The kubelet's HTTP probe: 200-399 passes; anything else, a refused connection or the timeout fails.
    private async Task<(bool Ok, string Status)> ProbeAsync(ProbeSpec probe)
    {
        var port = _replica.HostPorts[probe.Port];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(probe.Timeout);
        try
        {
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}{probe.Path}"), timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return (code is >= 200 and < 400, $"HTTP {code}");
        }
        catch (HttpRequestException ex)
        {
            return (false, ex.Message);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            return (false, $"timeout after {probe.Timeout.TotalSeconds:0.#} s");
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
