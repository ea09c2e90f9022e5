using System.Collections.Concurrent;
using System.Globalization;
using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// TEST-ONLY stand-in for the kubelet on the real Docker Engine: starts containers of the rendered pod template (ports
/// published on 127.0.0.1 only), registers them with the <see cref="ServiceProxy"/> behind the rendered startup and
/// readiness probes on the management port (which the proxy never forwards to), runs the liveness probe (HTTP on the
/// management port, or exec in the container), and terminates them in the kubelet's order: endpoint removal starts
/// (propagating) while the exec preStop hook runs (<c>docker exec</c>), then SIGTERM, then SIGKILL if the grace period
/// (counted from the start, preStop included) runs out. Never used by the product.
/// </summary>
public sealed class Kubelet : IAsyncDisposable
{
    private readonly SampleApiImage _image;
    private readonly ServiceProxy _proxy;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly ConcurrentDictionary<Replica, EndpointProbe> _probes = new();
    private readonly ConcurrentDictionary<Replica, LivenessProbe> _liveness = new();
    private readonly ConcurrentQueue<TerminationRecord> _terminations = new();
    private readonly ConcurrentQueue<ImagePull> _pulls = new();
    private readonly string _podLabel = "dev.devenv.rollout-kubelet=" + Guid.NewGuid().ToString("N")[..8];
    private int _sequence;

    /// <summary>Creates a kubelet on the node (engine) of <paramref name="image"/>, its pods behind <paramref name="proxy"/>.</summary>
    public Kubelet(SampleApiImage image, ServiceProxy proxy, TimeProvider? timeProvider = null)
    {
        _image = image;
        _proxy = proxy;
        _time = timeProvider ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
    }

    /// <summary>Time since this kubelet was created: the clock of <see cref="Replica.Started"/> and <see cref="Replica.Ready"/>.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Every image pull this node made (imagePullPolicy IfNotPresent: only for images it did not have).</summary>
    public IReadOnlyList<ImagePull> Pulls => _pulls.ToArray();

    /// <summary>Every termination so far.</summary>
    public IReadOnlyList<TerminationRecord> Terminations => _terminations.ToArray();

    /// <summary>
    /// Starts a container of the rendered pod template (not waiting for readiness; see <see cref="WaitReadyAsync"/>): its
    /// image, environment, user, read-only root, tmpfs for each emptyDir, dropped capabilities, no-new-privileges and
    /// limits, the Service's and the probes' ports published on 127.0.0.1 only.
    /// </summary>
    public async Task<Replica> StartAsync(HarnessOptions spec, int generation, CancellationToken cancellationToken)
    {
        var name = $"{_image.EnvironmentName}-pod-{Interlocked.Increment(ref _sequence)}";
        if (await _image.PullIfNotPresentAsync(spec.Image, cancellationToken).ConfigureAwait(false) is { } pull) _pulls.Enqueue(pull);
        var id = await _image.Docker.RunAsync(RunArguments(spec, name), cancellationToken).ConfigureAwait(false);
        var started = Now;
        var hostPorts = new Dictionary<int, int>();
        foreach (var port in spec.PublishedPorts)
        {
            hostPorts[port] = await _image.Docker.HostPortAsync(id, port, cancellationToken).ConfigureAwait(false);
        }
        var replica = new Replica(name, id, spec, hostPorts[spec.ContainerPort], hostPorts, generation, started);
        var endpoint = new EndpointProbe(replica, _proxy, spec, _time, _origin);
        _probes[replica] = endpoint;
        if (spec.LivenessProbe is { } liveness)
        {
            _liveness[replica] = new LivenessProbe(replica, liveness, spec, _image.Runner, _time, endpoint.StartupPassed, endpoint.Killed);
        }
        return replica;
    }

    /// <summary>The <c>docker run</c> arguments of one pod: what the kubelet and the runtime make of the rendered container.</summary>
    public IReadOnlyList<string> RunArguments(HarnessOptions spec, string name)
    {
        List<string> args = ["run", "-d", "--name", name, "--label", _image.Label, "--label", _podLabel];
        if (spec.User.Length > 0) args.AddRange(["--user", spec.User]);
        if (spec.ReadOnlyRootFilesystem) args.Add("--read-only");
        if (spec.NoNewPrivileges) args.AddRange(["--security-opt", "no-new-privileges"]);
        foreach (var capability in spec.DropCapabilities) args.AddRange(["--cap-drop", capability]);
        foreach (var (path, size) in spec.Tmpfs)
        {
            // An emptyDir the container's user can write (the kubelet makes it world-writable), bounded by its sizeLimit.
            args.AddRange(["--tmpfs", $"{path}:rw,mode=1777{(size > 0 ? $",size={size.ToString(CultureInfo.InvariantCulture)}" : "")}"]);
        }
        if (spec.MemoryLimitBytes > 0)
        {
            // Kubernetes runs without swap: the limit is the memory the cgroup gets.
            var bytes = spec.MemoryLimitBytes.ToString(CultureInfo.InvariantCulture);
            args.AddRange(["--memory", bytes, "--memory-swap", bytes]);
        }
        if (spec.CpuLimit > 0) args.AddRange(["--cpus", spec.CpuLimit.ToString(CultureInfo.InvariantCulture)]);
        foreach (var port in spec.PublishedPorts) args.AddRange(["-p", $"127.0.0.1::{port}"]);
        foreach (var (key, value) in spec.Environment) args.AddRange(["-e", $"{key}={value}"]);
        args.AddRange(["-e", $"{AppContract.DrainDelayVariable}={AppContract.ConfigValue(spec.DrainDelay)}"]);
        args.AddRange(["-e", $"{AppContract.ShutdownTimeoutVariable}={AppContract.ConfigValue(spec.ShutdownTimeout)}"]);
        args.Add(spec.Image);
        return args;
    }

    /// <summary>Waits until the replica's readiness probe first succeeds; throws with its logs after <see cref="HarnessOptions.ReadyTimeout"/>.</summary>
    public async Task WaitReadyAsync(Replica replica, CancellationToken cancellationToken)
    {
        var ready = _probes[replica].FirstReady;
        string? why = null;
        try
        {
            await ready.WaitAsync(replica.Spec.ReadyTimeout, _time, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception) when (ready.IsFaulted)
        {
            // The startup probe gave up: the kubelet would kill and restart the container.
            why = ready.Exception!.InnerException!.Message;
        }
        catch (TimeoutException)
        {
            why = $"{replica.Name} not ready on {replica.Spec.ReadinessProbe.Path} (port {replica.Spec.ReadinessProbe.Port}) within {replica.Spec.ReadyTimeout}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            why = $"{replica.Name} stopped probing before it was ready";
        }
        var logs = await _image.Docker.LogsAsync(replica.ContainerId, cancellationToken).ConfigureAwait(false);
        throw new TimeoutException($"{why}; logs:\n{logs}");
    }

    /// <summary>Terminates a replica the kubelet's way and records how it exited.</summary>
    public async Task<TerminationRecord> TerminateAsync(Replica replica, CancellationToken cancellationToken)
    {
        replica.Terminating = true;
        var began = _time.GetTimestamp();
        var probe = _probes[replica];
        if (_liveness.TryGetValue(replica, out var liveness)) liveness.Stop();
        var propagation = probe.BeginTerminationAsync(cancellationToken);

        int? preStopExitCode = null;
        if (replica.Spec.PreStopCommand is not null)
        {
            preStopExitCode = await PreStopAsync(replica, cancellationToken).ConfigureAwait(false);
        }
        // A container that exited already (the liveness probe had it killed, or it crashed) gets no TERM: docker wait
        // below reads its exit code.
        if (await _image.Docker.IsRunningAsync(replica.ContainerId, cancellationToken).ConfigureAwait(false))
        {
            await _image.Docker.KillAsync(replica.ContainerId, "TERM", cancellationToken).ConfigureAwait(false);
        }
        var remaining = replica.Spec.GracePeriod - _time.GetElapsedTime(began);
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
        if (_liveness.TryRemove(replica, out var stopped)) await stopped.DisposeAsync().ConfigureAwait(false);

        var record = new TerminationRecord(replica.Name, exit.Value, exitedOnItsOwn, preStopExitCode, _time.GetElapsedTime(began));
        replica.Termination = record;
        _terminations.Enqueue(record);
        return record;
    }

    /// <summary>The exec preStop hook (in the container, as the kubelet runs it); it counts against the grace period, and a failure does not stop the termination.</summary>
    private async Task<int> PreStopAsync(Replica replica, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(replica.Spec.GracePeriod);
        try
        {
            return await _image.Docker.ExecAsync(replica.ContainerId, replica.Spec.PreStopCommand!, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return -1;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var liveness in _liveness.Values) await liveness.DisposeAsync().ConfigureAwait(false);
        _liveness.Clear();
        foreach (var probe in _probes.Values) await probe.DisposeAsync().ConfigureAwait(false);
        _probes.Clear();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _image.Docker.RemoveContainersByLabelAsync(_podLabel, deadline.Token).ConfigureAwait(false);
    }
}
