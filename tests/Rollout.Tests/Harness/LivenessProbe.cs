using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// TEST-ONLY stand-in for the kubelet's liveness probe: once the startup probe passed, every period and bounded by the
/// probe's timeout, either GETs the rendered path on the container's published port (an HTTP probe; 200-399 passes) or
/// runs the rendered command in the running container (an exec probe: <c>docker exec</c>, so as the container's user,
/// on its read-only root and tmpfs /tmp, in its memory cgroup). failureThreshold failures in a row make the kubelet
/// kill the container to restart it; the stand-in kills it (gracefully, within the grace period) and records why on
/// the replica, which the tests treat as a failure (a liveness restart during a rollout is a bug in the contract).
/// </summary>
internal sealed class LivenessProbe : IAsyncDisposable
{
    private readonly Replica _replica;
    private readonly ProbeSpec _probe;
    private readonly HarnessOptions _options;
    private readonly IProcessRunner _runner;
    private readonly TimeProvider _time;
    private readonly Action _onKill;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private readonly Task _loop;

    public LivenessProbe(Replica replica, ProbeSpec probe, HarnessOptions options, IProcessRunner runner, TimeProvider time, Task startupPassed, Action onKill)
    {
        _replica = replica;
        _probe = probe;
        _options = options;
        _runner = runner;
        _time = time;
        _onKill = onKill;
        _loop = LoopAsync(startupPassed);
    }

    /// <summary>The pod began terminating: the kubelet stops probing liveness of a pod it is killing anyway.</summary>
    public void Stop()
    {
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { /* disposed meanwhile */ }
    }

    private async Task LoopAsync(Task startupPassed)
    {
        try
        {
            await startupPassed.WaitAsync(_stop.Token).ConfigureAwait(false);
            await Task.Delay(_probe.InitialDelay, _time, _stop.Token).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_probe.Period, _time);
            var failures = 0;
            // Bounded by the harness: stops on termination or dispose.
            while (!_stop.IsCancellationRequested)
            {
                var began = _time.GetTimestamp();
                var failure = _probe.Command is null ? await GetAsync().ConfigureAwait(false) : await ExecAsync().ConfigureAwait(false);
                _replica.LivenessTook(_time.GetElapsedTime(began));
                if (_stop.IsCancellationRequested) return;
                if (failure is null)
                {
                    failures = 0;
                    _replica.LivenessPassed();
                }
                else
                {
                    _replica.LivenessFailed(failure);
                    if (++failures >= _probe.FailureThreshold)
                    {
                        await KillAsync(failure).ConfigureAwait(false);
                        return;
                    }
                }
                if (!await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) return;
            }
        }
        catch (OperationCanceledException) { /* stopped; a failed startup cancels it too */ }
    }

    // Null when the GET answered 200-399 within the timeout; else what happened. As the kubelet does: a new connection
    // each time, to the container port (published on 127.0.0.1), no redirects followed beyond the answer's code.
    private async Task<string?> GetAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_probe.Timeout);
        try
        {
            var port = _replica.HostPorts[_probe.Port];
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}{_probe.Path}"), timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400 ? null : $"HTTP {code}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            return $"timed out after {_probe.Timeout.TotalSeconds:0.#} s";
        }
    }

    // Null when the command exited 0 within the timeout; else what happened. The timeout is enforced by coreutils'
    // `timeout` in its own process, as the kubelet enforces it in its own: this test process also runs the load
    // generator and the proxy, and its scheduler lag (hundreds of ms on a saturated machine) must not count against the
    // probe. The outer bound only guards against a hung `timeout`.
    private async Task<string?> ExecAsync()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        bound.CancelAfter(_probe.Timeout + TimeSpan.FromSeconds(30));
        var seconds = _probe.Timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var result = await _runner.RunAsync(new ProcessSpec("timeout", ["--kill-after=2", seconds, "docker", "exec", _replica.ContainerId, .. _probe.Command!]),
                ResourceLog.None, bound.Token).ConfigureAwait(false);
            return result.ExitCode switch
            {
                0 => null,
                // timeout's own codes: 124 the command timed out, 137 it had to be killed after --kill-after.
                124 or 137 => $"timed out after {_probe.Timeout.TotalSeconds:0.#} s",
                _ => $"exit {result.ExitCode}: {string.Join(' ', result.StandardOutput.Concat(result.StandardError)).Trim()}",
            };
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            return $"no answer from `timeout` within {_probe.Timeout.TotalSeconds + 30:0.#} s";
        }
    }

    private async Task KillAsync(string failure)
    {
        var what = _probe.Command is { } command ? $"`{string.Join(' ', command)}`" : $"GET {_probe.Path} on port {_probe.Port}";
        _replica.KilledByLiveness = $"liveness probe {what} failed {_probe.FailureThreshold} times in a row (last: {failure})";
        _onKill();
        var grace = ((int)Math.Ceiling(_options.GracePeriod.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(_options.GracePeriod + TimeSpan.FromSeconds(30));
        await _runner.RunAsync(new ProcessSpec("docker", ["stop", "-t", grace, _replica.ContainerId]), ResourceLog.None, deadline.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await _loop.ConfigureAwait(false);
        _http.Dispose();
        _stop.Dispose();
    }
}
