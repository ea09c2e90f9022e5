using System.Collections.Concurrent;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Tests.Model;

namespace DevEnv.AppHost.Tests.Orchestration;

public sealed class DevEnvironmentTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private readonly ConcurrentQueue<string> _journal = new();
    private readonly DevEnvironmentBuilder _builder = new(new EnvironmentSettings { Name = "t-orch" });

    private FakeResource Add(string name, params Resource[] dependencies)
    {
        var resource = _builder.AddResource(new FakeResource(name, _journal));
        foreach (var d in dependencies)
        {
            resource.DependsOn(d);
        }

        return resource;
    }

    private static Task<ResourceSnapshot> WaitFor(DevEnvironment env, string name, string state) =>
        env.Notifications.WaitForAsync(name, s => s.State == state, Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);

    [Fact]
    public async Task Registers_every_resource_with_kind_dependencies_and_commands()
    {
        var registry = Add("registry");
        var image = Add("image", registry);
        image.Commands.Add(new(CommandNames.RebuildAndDeploy, "Rebuild", (_, _) => Task.FromResult(CommandResult.Ok("ok"))));

        await using var env = _builder.Build();

        var snapshot = env.Notifications.Get("image");
        Assert.Equal("Fake", snapshot.Kind);
        Assert.Equal(["registry"], snapshot.DependsOn);
        Assert.Equal([CommandNames.RebuildAndDeploy, CommandNames.Start, CommandNames.Stop], snapshot.Commands);
        Assert.Equal(ResourceStates.Waiting, snapshot.State);
    }

    [Fact]
    public async Task Starts_dependencies_before_dependents()
    {
        var registry = Add("registry");
        var image = Add("image", registry);
        Add("deployment", image);
        await using var env = _builder.Build();

        Assert.True(await env.StartAsync(Ct));

        var order = _journal.Where(e => e.StartsWith("start", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["start:registry", "started:registry", "start:image", "started:image", "start:deployment", "started:deployment"], order);
        Assert.All(env.Notifications.GetAll(), s => Assert.Equal(ResourceStates.Running, s.State));
    }

    [Fact]
    public async Task Independent_resources_start_in_parallel()
    {
        var registry = Add("registry");
        var image = Add("image", registry);
        var cluster = Add("cluster");
        Add("deployment", image, cluster);
        var imageGate = new TaskCompletionSource();
        var clusterGate = new TaskCompletionSource();
        image.OnStart = (_, ct) => imageGate.Task.WaitAsync(ct);
        cluster.OnStart = (_, ct) => clusterGate.Task.WaitAsync(ct);
        await using var env = _builder.Build();

        var start = env.StartAsync(Ct);
        // Both long steps are in flight at the same time: the cluster is created while the image builds.
        await WaitFor(env, "image", ResourceStates.Starting);
        await WaitFor(env, "cluster", ResourceStates.Starting);
        // The deployment's runner may not have looked at its dependencies yet ("not started"): wait until it has.
        var deployment = await env.Notifications.WaitForAsync("deployment",
            s => s.Reason?.StartsWith("waiting for", StringComparison.Ordinal) == true, Ct);
        Assert.Equal(ResourceStates.Waiting, deployment.State);

        clusterGate.SetResult();
        await WaitFor(env, "cluster", ResourceStates.Running);
        await env.Notifications.WaitForAsync("deployment", s => s.Reason == "waiting for image (Starting)", Ct);
        imageGate.SetResult();

        Assert.True(await start);
        Assert.Equal(ResourceStates.Running, env.Notifications.Get("deployment").State);
    }

    [Fact]
    public async Task A_failing_dependency_leaves_dependents_waiting_with_its_reason()
    {
        var registry = Add("registry");
        var image = Add("image", registry);
        Add("deployment", image);
        registry.OnStart = (_, _) => throw new InvalidOperationException("Could not start the registry container",
            new IOException("port 5001 is already in use"));
        await using var env = _builder.Build();

        Assert.False(await env.StartAsync(Ct));

        var failed = env.Notifications.Get("registry");
        Assert.Equal(ResourceStates.Failed, failed.State);
        Assert.Equal("Could not start the registry container: port 5001 is already in use", failed.Reason);
        Assert.Equal(ResourceStates.Waiting, env.Notifications.Get("image").State);
        Assert.Equal("waiting for registry: Could not start the registry container: port 5001 is already in use", env.Notifications.Get("image").Reason);
        Assert.Equal("waiting for image: waiting for registry: Could not start the registry container: port 5001 is already in use",
            env.Notifications.Get("deployment").Reason);
        Assert.Equal(0, image.Starts);
        Assert.Contains(env.Logs.GetBacklog("registry"), l => l.IsError && l.Text.Contains("port 5001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rerunning_a_failed_resource_lets_its_waiting_dependents_start()
    {
        var registry = Add("registry");
        var image = Add("image", registry);
        Add("deployment", image);
        var attempts = 0;
        registry.OnStart = (_, _) => ++attempts == 1 ? throw new InvalidOperationException("docker is not running") : Task.CompletedTask;
        await using var env = _builder.Build();
        Assert.False(await env.StartAsync(Ct));

        var rerun = await env.RestartAsync("registry", Ct);

        Assert.Equal(ResourceStates.Running, rerun.State);
        Assert.Null(rerun.Reason);
        await WaitFor(env, "deployment", ResourceStates.Running);
        Assert.Equal(1, image.Starts);
        Assert.True(await env.StartAsync(Ct), "starting again when all is running is a no-op");
        Assert.Equal(2, registry.Starts);
    }

    [Fact]
    public async Task Cancelling_the_start_stops_resources_in_flight_cleanly()
    {
        var registry = Add("registry");
        var image = Add("image", registry);
        Add("deployment", image);
        image.OnStart = (_, ct) => Task.Delay(Timeout.Infinite, ct);
        await using var env = _builder.Build();
        using var ctrlC = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var start = env.StartAsync(ctrlC.Token);
        await WaitFor(env, "image", ResourceStates.Starting);
        await ctrlC.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        var image2 = await WaitFor(env, "image", ResourceStates.Stopped);
        Assert.Equal("start cancelled", image2.Reason);
        Assert.Contains("cancelled:image", _journal);
        Assert.Equal(ResourceStates.Running, env.Notifications.Get("registry").State);
        Assert.DoesNotContain("start:deployment", _journal);
    }

    [Fact]
    public async Task A_new_run_cancels_the_one_in_flight()
    {
        var image = Add("image");
        image.OnStart = (_, ct) => image.Starts == 1 ? Task.Delay(Timeout.Infinite, ct) : Task.CompletedTask;
        await using var env = _builder.Build();
        var start = env.StartAsync(Ct);
        await WaitFor(env, "image", ResourceStates.Starting);

        var rerun = await env.RestartAsync("image", Ct);

        Assert.Equal(ResourceStates.Running, rerun.State);
        Assert.Equal(["start:image", "cancelled:image", "start:image", "started:image"], _journal);
        Assert.True(await start);
    }

    [Fact]
    public async Task Rebuild_that_fails_leaves_dependents_running_the_old_version()
    {
        var image = Add("image");
        var deployment = Add("deployment", image);
        await using var env = _builder.Build();
        Assert.True(await env.StartAsync(Ct));
        image.OnStart = (_, _) => throw new InvalidOperationException("Program.cs(3,1): error CS1002: ; expected");

        Assert.False(await env.RestartWithDependentsAsync("image", Ct, Ct));

        Assert.Equal(ResourceStates.Failed, env.Notifications.Get("image").State);
        Assert.Contains("CS1002", env.Notifications.Get("image").Reason);
        Assert.Equal(ResourceStates.Running, env.Notifications.Get("deployment").State);
        Assert.Equal(1, deployment.Starts);

        image.OnStart = (_, _) => Task.CompletedTask;
        Assert.True(await env.RestartWithDependentsAsync("image", Ct, Ct));
        Assert.Equal(2, deployment.Starts);
    }

    [Fact]
    public async Task Rebuild_while_another_dependency_is_down_leaves_the_dependent_waiting()
    {
        var image = Add("image");
        var cluster = Add("cluster");
        Add("deployment", image, cluster);
        cluster.OnStart = (_, _) => throw new InvalidOperationException("no node image can be obtained");
        await using var env = _builder.Build();
        Assert.False(await env.StartAsync(Ct));

        Assert.True(await env.RestartWithDependentsAsync("image", Ct, Ct));

        Assert.Equal(2, image.Starts);
        Assert.Equal("waiting for cluster: no node image can be obtained", env.Notifications.Get("deployment").Reason);
        cluster.OnStart = (_, _) => Task.CompletedTask;
        await env.RestartAsync("cluster", Ct);
        await WaitFor(env, "deployment", ResourceStates.Running);
    }

    [Fact]
    public async Task Stop_runs_in_reverse_order_and_collects_errors()
    {
        var registry = Add("registry");
        var image = Add("image", registry);
        var deployment = Add("deployment", image);
        image.OnStop = (_, _) => throw new InvalidOperationException("image stop broke");
        await using var env = _builder.Build();
        await env.StartAsync(Ct);

        var errors = await env.StopAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(["stop:deployment", "stop:image", "stop:registry"], _journal.Where(e => e.StartsWith("stop:", StringComparison.Ordinal)));
        var error = Assert.Single(errors);
        Assert.Equal("image: stop failed: image stop broke", error.Message);
        Assert.True(env.Lifetime.IsCancellationRequested);
    }

    [Fact]
    public async Task Teardown_destroys_in_reverse_order_and_purges_only_when_asked()
    {
        var registry = Add("registry");
        Add("image", registry);
        await using var env = _builder.Build();

        Assert.Empty(await env.DestroyAsync(purge: false, Ct));
        Assert.Equal(["destroy:image", "destroy:registry"], _journal);
        Assert.Equal("removed", env.Notifications.Get("registry").Reason);

        Assert.Empty(await env.DestroyAsync(purge: true, Ct));
        Assert.Equal(["purge:image", "purge:registry"], _journal.Where(e => e.StartsWith("purge", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Status_probes_without_starting_anything()
    {
        Add("registry");
        await using var env = _builder.Build();

        await env.ProbeAsync(Ct);

        Assert.Equal(["probe:registry"], _journal);
        Assert.Equal("not created", env.Notifications.Get("registry").Reason);
    }

    [Fact]
    public async Task Commands_run_by_name_and_unknown_ones_fail_with_the_list()
    {
        var registry = Add("registry");
        await using var env = _builder.Build();
        await env.StartAsync(Ct);

        var stop = await env.ExecuteCommandAsync("registry", CommandNames.Stop, null, Ct);
        Assert.True(stop.Success, stop.Message);
        Assert.Equal(ResourceStates.Stopped, env.Notifications.Get("registry").State);
        var start = await env.ExecuteCommandAsync("registry", CommandNames.Start, null, Ct);
        Assert.True(start.Success, start.Message);
        Assert.Equal(2, registry.Starts);

        var unknown = await env.ExecuteCommandAsync("registry", "fly", null, Ct);
        Assert.False(unknown.Success);
        Assert.Equal("registry has no command 'fly'. Available: start, stop.", unknown.Message);
        Assert.False((await env.ExecuteCommandAsync("nope", CommandNames.Start, null, Ct)).Success);
    }

    [Fact]
    public void A_cycle_or_a_missing_dependency_is_reported_by_name()
    {
        var a = new FakeResource("a");
        var b = new FakeResource("b");
        a.DependsOn(b);
        b.DependsOn(a);
        _builder.AddResource(a);
        var missing = Assert.Throws<InvalidOperationException>(() => _builder.Build());
        Assert.Contains("'b', which was not added", missing.Message);

        _builder.AddResource(b);
        var cycle = Assert.Throws<InvalidOperationException>(() => _builder.Build());
        Assert.Contains("a, b depend on each other in a cycle", cycle.Message);
    }
}
