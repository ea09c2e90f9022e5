namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// TEST-ONLY: one Service proxy + kubelet + Deployment on the real Docker Engine, standing in for a Kubernetes
/// cluster that cannot run on our machines. Traffic goes to <see cref="ServiceUrl"/> (127.0.0.1 only).
/// </summary>
public sealed class StandInCluster : IAsyncDisposable
{
    private StandInCluster(ServiceProxy proxy, Kubelet kubelet, Deployment deployment)
    {
        Proxy = proxy;
        Kubelet = kubelet;
        Deployment = deployment;
    }

    /// <summary>The Service stand-in.</summary>
    public ServiceProxy Proxy { get; }

    /// <summary>The kubelet stand-in (terminations, exit codes).</summary>
    public Kubelet Kubelet { get; }

    /// <summary>The Deployment stand-in (rolling update, scale).</summary>
    public Deployment Deployment { get; }

    /// <summary>Where clients send requests.</summary>
    public Uri ServiceUrl => Proxy.Address;

    /// <summary>Starts the proxy and the initial replicas of <paramref name="options"/> (the rendered Deployment's) and waits until all are ready.</summary>
    public static async Task<StandInCluster> StartAsync(SampleApiImage image, HarnessOptions options, CancellationToken cancellationToken)
    {
        var proxy = new ServiceProxy();
        var kubelet = new Kubelet(image, proxy);
        var cluster = new StandInCluster(proxy, kubelet, new Deployment(kubelet, options));
        try
        {
            await cluster.Deployment.CreateAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// One line per replica (generation, time to ready, liveness probes, exit code and whether it exited before the grace
    /// period), the node's pulls, and the proxy's connections that found no endpoint or a refusing backend.
    /// </summary>
    public string Describe() => string.Join('\n', Deployment.History.Select(r =>
        $"{r.Name} gen {r.Generation} ready {(r.TimeToReady is { } t ? $"{t.TotalMilliseconds:F0} ms" : "never")} liveness {r.LivenessPasses} passed {r.LivenessFailures.Count} failed (slowest {r.LivenessSlowest.TotalMilliseconds:F0} ms)" +
        (r.KilledByLiveness is { } killed ? $" KILLED: {killed}" : "") +
        (r.Termination is { } x ? $" exit {x.ExitCode}{(x.ExitedBeforeGrace ? "" : " (SIGKILL)")} preStop {x.PreStopExitCode?.ToString() ?? "none"} in {x.Duration.TotalMilliseconds:F0} ms" : " running"))
        .Concat(Kubelet.Pulls.Select(p => p.ToString()))
        .Append($"proxy: {Proxy.NoEndpointConnections} connection(s) found no endpoint, {Proxy.RefusedConnections} found a refusing backend"));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Kubelet.DisposeAsync().ConfigureAwait(false);
        await Proxy.DisposeAsync().ConfigureAwait(false);
    }
}
