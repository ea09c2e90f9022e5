using System.Globalization;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Image.Pipeline;
using DevEnv.Hosting.Traffic;
using DevEnv.Rollout.Tests.Harness;

namespace DevEnv.Rollout.Tests.Rollout;

/// <summary>
/// Rolling updates and scale-downs of real SampleApi containers, built by the product's image pipeline and run as the
/// product's rendered Deployment says (probes, preStop, grace period, drain and shutdown timings, security context),
/// under open-loop load through the stand-in Service: graceful shutdown must fail no request; without it (the control)
/// requests must fail. An image without probes fails these tests (its pods never become ready), it never skips them.
/// Short runs keep CI time down; scripts/bench/rollout.sh runs the full 50,000-request target.
/// </summary>
public sealed class RolloutTests(SampleApiImage image)
{
    /// <summary>Tolerant bound for time-to-ready on a shared, overloaded 2-core machine (the 1 s target is measured by the bench).</summary>
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 100 req/s, verify-rollout's default: the machines are 2 shared cores, and the rendered exec liveness probe (a second
    // .NET process in the pod, 5 s timeout) must get CPU too, as it would on a node that is not saturated by the test itself.
    private static LoadOptions Load(Uri target, bool keepAlive) => new()
    {
        Target = target, RatePerSecond = 100, KeepAlive = keepAlive, RequestTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task Rolling_update_to_a_one_line_change_fails_no_request_and_the_node_pulls_only_the_app_layer()
    {
        // The node has the first version only, as after the previous deploy.
        await image.RemoveFromNodeAsync(image.ChangedImage, Ct);
        var next = image.Render(image.ChangedImage).ToOptions();
        Assert.True(next.PreStopCommand is not null, "the product's Deployment promises an exec preStop hook; the rendered one has none");
        await using var cluster = await StandInCluster.StartAsync(image, image.Render().ToOptions(), Ct);
        var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
        {
            Load = Load(cluster.ServiceUrl, keepAlive: false), SteadyState = TimeSpan.FromSeconds(5), Settle = TimeSpan.FromSeconds(3),
        }, ct => cluster.Deployment.RollingUpdateAsync(next, ct), Ct);

        var detail = result.ToTable() + "\n" + cluster.Describe();
        TestContext.Current.TestOutputHelper?.WriteLine(detail);
        Assert.Null(result.RolloutError);
        Assert.Equal(0, result.Overall.Failed);
        Assert.True(result.Overall.Requests > 2_000, detail);
        AssertEveryReplicaReplaced(cluster, generation: 1, next.Replicas, detail);
        Assert.All(cluster.Deployment.Current, r => Assert.Equal(image.ChangedImage, r.Spec.Image));

        // One pull of the new version on this node (its other pods find it there: IfNotPresent), and it fetched the app
        // layer only: the runtime, framework and package layers and the base were already on the node.
        var pull = Assert.Single(cluster.Kubelet.Pulls, p => p.Image == image.ChangedImage);
        var appLayer = image.Changed!.Layers.Single(l => l.Kind == LayerKind.App);
        var fetched = Assert.Single(pull.Fetched);
        Assert.Equal(appLayer.Digest, fetched.Key);
        Assert.Equal(image.Changed.Manifest.Layers.Count - 1, pull.Present.Count);
        Assert.True(pull.BytesPulled < pull.FullImageBytes / 10, detail);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one-line change: the node pulled {pull.BytesPulled:N0} bytes (app layer {appLayer.Size:N0} + config {pull.ConfigBytes:N0} + manifest {pull.ManifestBytes:N0}) of a {pull.FullImageBytes:N0}-byte image, for {next.Replicas} replicas; the pipeline uploaded {image.Changed.UploadedBytes:N0} bytes"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Scale_from_three_to_one_under_load_fails_no_request(bool keepAlive)
    {
        var options = image.Render().ToOptions();
        Assert.Equal(3, options.Replicas);
        await using var cluster = await StandInCluster.StartAsync(image, options, Ct);
        var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
        {
            Load = Load(cluster.ServiceUrl, keepAlive), SteadyState = TimeSpan.FromSeconds(3), Settle = TimeSpan.FromSeconds(2),
        }, ct => cluster.Deployment.ScaleDownAsync(1, ct), Ct);

        var detail = result.ToTable() + "\n" + cluster.Describe();
        TestContext.Current.TestOutputHelper?.WriteLine(detail);
        Assert.Null(result.RolloutError);
        Assert.Equal(0, result.Overall.Failed);
        Assert.Single(cluster.Deployment.Current);
        Assert.Equal(2, cluster.Kubelet.Terminations.Count);
        Assert.All(cluster.Kubelet.Terminations, t => AssertCleanExit(t, detail));
        AssertLive(cluster.Deployment.History, detail);
    }

    [Fact]
    public async Task Control_without_drain_or_prestop_fails_requests()
    {
        // The rendered Deployment with two explicit overrides: no preStop hook, no drain, so the app stops listening at
        // SIGTERM while its endpoint is still in rotation.
        var control = image.Render().ToOptions() with { PreStopCommand = null, DrainDelay = TimeSpan.Zero };
        await using var cluster = await StandInCluster.StartAsync(image, control, Ct);
        var result = await new RolloutVerifier().VerifyAsync(new RolloutVerifierOptions
        {
            Load = Load(cluster.ServiceUrl, keepAlive: false), SteadyState = TimeSpan.FromSeconds(3), Settle = TimeSpan.FromSeconds(2),
        }, ct => cluster.Deployment.RollingUpdateAsync(control, ct), Ct);

        var detail = result.ToTable() + "\n" + cluster.Describe();
        TestContext.Current.TestOutputHelper?.WriteLine(detail);
        Assert.Null(result.RolloutError);
        Assert.Equal(0, result.SteadyState.Failed);
        Assert.True(result.Overall.Failed > 0, "the control must show failures, or the measurement proves nothing:\n" + detail);
    }

    [Fact]
    public async Task The_rendered_liveness_probe_passes_on_the_management_port_of_the_running_container()
    {
        var options = image.Render().ToOptions() with { Replicas = 1 };
        var liveness = options.LivenessProbe ?? throw new InvalidOperationException("the rendered Deployment has no liveness probe");
        // HTTP on the management port, which the Service never forwards to: no process started per period (issue 26).
        Assert.Null(liveness.Command);
        Assert.Equal((AppContract.LivenessPath, AppContract.ManagementPort), (liveness.Path, liveness.Port));
        await using var cluster = await StandInCluster.StartAsync(image, options, Ct);
        var replica = Assert.Single(cluster.Deployment.Current);

        // The container runs as the rendered securityContext says: that user, read-only root, /tmp the emptyDir.
        var inspect = await image.Docker.RunAsync(["inspect", "-f", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{json .HostConfig.Tmpfs}}", replica.ContainerId], Ct);
        Assert.StartsWith($"{options.User} true ", inspect);
        Assert.Contains("\"/tmp\"", inspect);

        // The first probe runs once the startup probe passed (the pod is ready by now); give it its timeout and one period.
        await WaitUntilAsync(() => replica.LivenessPasses + replica.LivenessFailures.Count > 0, liveness.Timeout + liveness.Period + TimeSpan.FromSeconds(5));
        Assert.True(replica.LivenessPasses > 0 && replica.LivenessFailures.Count == 0, cluster.Describe() + "\n" + string.Join('\n', replica.LivenessFailures));
        Assert.Null(replica.KilledByLiveness);
    }

    [Fact]
    public async Task A_failing_liveness_probe_gets_the_container_killed()
    {
        // An explicit override of the rendered probe: a path the management port answers 404, probed every second so
        // the test is short.
        var rendered = image.Render().ToOptions();
        var liveness = rendered.LivenessProbe! with { Path = "/healthz/no-such-probe", Period = TimeSpan.FromSeconds(1) };
        await using var cluster = await StandInCluster.StartAsync(image, rendered with { Replicas = 1, LivenessProbe = liveness }, Ct);
        var replica = Assert.Single(cluster.Deployment.Current);

        await WaitUntilAsync(() => replica.KilledByLiveness is not null, liveness.Budget + liveness.Timeout * liveness.FailureThreshold + TimeSpan.FromSeconds(10));
        Assert.Contains("failed 3 times in a row", replica.KilledByLiveness);
        Assert.Equal(liveness.FailureThreshold, replica.LivenessFailures.Count);
        Assert.DoesNotContain(replica, cluster.Proxy.InRotation());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (!condition()) await Task.Delay(100, deadline.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // The assertion that follows says what did not happen.
        }
    }

    private static void AssertEveryReplicaReplaced(StandInCluster cluster, int generation, int replicas, string detail)
    {
        var history = cluster.Deployment.History;
        var old = history.Where(r => r.Generation < generation).ToList();
        var fresh = history.Where(r => r.Generation == generation).ToList();
        Assert.Equal(replicas, old.Count);
        Assert.Equal(replicas, fresh.Count);
        Assert.All(cluster.Deployment.Current, r => Assert.Equal(generation, r.Generation));
        Assert.All(old, r => AssertCleanExit(r.Termination ?? throw new InvalidOperationException($"{r.Name} never terminated\n{detail}"), detail));
        Assert.All(fresh, r => Assert.True(r.TimeToReady <= ReadyBound, $"{r.Name} ready after {r.TimeToReady}\n{detail}"));
        AssertLive(history, detail);
        // The old pods served through the steady phase: the kubelet probed their liveness in the image at least once.
        Assert.All(old, r => Assert.True(r.LivenessPasses > 0, $"{r.Name}: no liveness probe ran\n{detail}"));
    }

    // The kubelet restarted nothing: no container failed its liveness probe failureThreshold times in a row. A single
    // failed probe (an exec that took longer than its timeout on a saturated machine) is what the threshold is for; the
    // report shows each replica's failures and slowest exec.
    private static void AssertLive(IEnumerable<Replica> replicas, string detail) =>
        Assert.All(replicas, r => Assert.True(r.KilledByLiveness is null, $"{r.Name}: {r.KilledByLiveness}\n{detail}"));

    private static void AssertCleanExit(TerminationRecord termination, string detail)
    {
        Assert.True(termination.ExitCode == 0, $"{termination.Replica} exited {termination.ExitCode}\n{detail}");
        Assert.True(termination.ExitedBeforeGrace, $"{termination.Replica} needed SIGKILL\n{detail}");
        Assert.True(termination.PreStopExitCode is null or 0, $"{termination.Replica} preStop exited {termination.PreStopExitCode}\n{detail}");
    }
}
