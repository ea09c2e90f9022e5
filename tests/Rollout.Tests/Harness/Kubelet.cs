using System.Collections.Concurrent;
using System.Globalization;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// TEST-ONLY stand-in for the kubelet on the real Docker Engine: starts SampleApi containers (port published on
/// 127.0.0.1 only), registers them with the <see cref="ServiceProxy"/> behind a readiness probe on the management port
/// (which the proxy never forwards to), and terminates them in the kubelet's order: endpoint removal starts
/// (propagating) while the exec preStop hook runs (<c>docker exec</c>), then SIGTERM, then SIGKILL if the grace period
/// (counted from the start, preStop included) runs out. Never used by the product.
/// </summary>
public sealed class Kubelet : IAsyncDisposable
{
    private readonly SampleApiImage _image;
    private readonly ServiceProxy _proxy;
    private readonly HarnessOptions _options;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly ConcurrentDictionary<Replica, EndpointProbe> _probes = new();
    private readonly ConcurrentQueue<TerminationRecord> _terminations = new();
    private readonly string _podLabel = "dev.devenv.rollout-kubelet=" + Guid.NewGuid().ToString("N")[..8];
    private int _sequence;

    /// <summary>Creates a kubelet for containers of <paramref name="image"/> behind <paramref name="proxy"/>.</summary>
    public Kubelet(SampleApiImage image, ServiceProxy proxy, HarnessOptions options, TimeProvider? timeProvider = null)
    {
        _image = image;
        _proxy = proxy;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
    }

    /// <summary>Time since this kubelet was created: the clock of <see cref="Replica.Started"/> and <see cref="Replica.Ready"/>.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Every termination so far.</summary>
    public IReadOnlyList<TerminationRecord> Terminations => _terminations.ToArray();

    /// <summary>Starts a container (not waiting for readiness; see <see cref="WaitReadyAsync"/>).</summary>
    public async Task<Replica> StartAsync(int generation, CancellationToken cancellationToken)
    {
        var name = $"{_image.EnvironmentName}-pod-{Interlocked.Increment(ref _sequence)}";
        List<string> args =
        [
            "run", "-d", "--name", name, "--label", _image.Label, "--label", _podLabel,
            "--read-only", "--tmpfs", "/tmp:rw,size=16m",
            "-p", $"127.0.0.1::{_options.ContainerPort}", "-p", $"127.0.0.1::{_options.ManagementPort}",
            "-e", $"ASPNETCORE_HTTP_PORTS={_options.ContainerPort}", "-e", $"Probe__Port={_options.ManagementPort}",
        ];
        if (_options.DrainDelay is { } drain) args.AddRange(["-e", $"Shutdown__DrainDelay={Format(drain)}"]);
        if (_options.ShutdownTimeout is { } timeout) args.AddRange(["-e", $"Shutdown__Timeout={Format(timeout)}"]);
        args.Add(_image.Image);
        var id = await _image.Docker.RunAsync(args, cancellationToken).ConfigureAwait(false);
        var started = Now;
        var port = await _image.Docker.HostPortAsync(id, _options.ContainerPort, cancellationToken).ConfigureAwait(false);
        var managementPort = await _image.Docker.HostPortAsync(id, _options.ManagementPort, cancellationToken).ConfigureAwait(false);
        var replica = new Replica(name, id, port, managementPort, generation, started);
        _probes[replica] = new EndpointProbe(replica, _proxy, _options, _time, _origin);
        return replica;
    }

    /// <summary>Waits until the replica's readiness probe first succeeds; throws with its logs after <see cref="HarnessOptions.ReadyTimeout"/>.</summary>
    public async Task WaitReadyAsync(Replica replica, CancellationToken cancellationToken)
    {
        try
        {
            await _probes[replica].FirstReady.WaitAsync(_options.ReadyTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var logs = await _image.Docker.LogsAsync(replica.ContainerId, cancellationToken).ConfigureAwait(false);
            throw new TimeoutException($"{replica.Name} not ready on {_options.ReadinessPath} within {_options.ReadyTimeout}; logs:\n{logs}");
        }
    }

    /// <summary>Terminates a replica the kubelet's way and records how it exited.</summary>
    public async Task<TerminationRecord> TerminateAsync(Replica replica, CancellationToken cancellationToken)
    {
        replica.Terminating = true;
        var began = _time.GetTimestamp();
        var probe = _probes[replica];
        var propagation = probe.BeginTerminationAsync(cancellationToken);

        int? preStopExitCode = null;
        if (_options.PreStop)
        {
            preStopExitCode = await PreStopAsync(replica, cancellationToken).ConfigureAwait(false);
        }
        await _image.Docker.KillAsync(replica.ContainerId, "TERM", cancellationToken).ConfigureAwait(false);
        var remaining = _options.GracePeriod - _time.GetElapsedTime(began);
        var exit = await _image.Docker.WaitExitAsync(replica.ContainerId, remaining, cancellationToken).ConfigureAwait(false);
        var exitedOnItsOwn = exit is not null;
        if (exit is null)
        {
            await _image.Docker.KillAsync(replica.ContainerId, "KILL", cancellationToken).ConfigureAwait(false);
            exit = await _image.Docker.WaitExitAsync(replica.ContainerId, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false) ?? -1;
        }
        await propagation.ConfigureAwait(false);
        await probe.DisposeAsync().ConfigureAwait(false);
        _probes.TryRemove(replica, out _);

        var record = new TerminationRecord(replica.Name, exit.Value, exitedOnItsOwn, preStopExitCode, _time.GetElapsedTime(began));
        replica.Termination = record;
        _terminations.Enqueue(record);
        return record;
    }

    /// <summary>The exec preStop hook (in the container, as the kubelet runs it); it counts against the grace period, and a failure does not stop the termination.</summary>
    private async Task<int> PreStopAsync(Replica replica, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.GracePeriod);
        try
        {
            return await _image.Docker.ExecAsync(replica.ContainerId, _options.PreStopCommand, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return -1;
        }
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var probe in _probes.Values) await probe.DisposeAsync().ConfigureAwait(false);
        _probes.Clear();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _image.Docker.RemoveContainersByLabelAsync(_podLabel, deadline.Token).ConfigureAwait(false);
    }
}
