using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Resources.Registry;

namespace DevEnv.AppHost.Orchestration;

/// <summary>
/// The environment built from <see cref="DevEnvironmentBuilder"/>: runs the resource graph. Starts resources in
/// dependency order, independent ones in parallel; a dependent waits (state Waiting, reason "waiting for X: why")
/// until what it needs is usable, so a dependency that recovers later lets it start. Stops in reverse order under
/// a deadline, tears down in reverse order, and offers each resource's commands plus start/stop.
/// </summary>
public sealed partial class DevEnvironment : IAsyncDisposable
{
    private readonly Dictionary<string, ResourceRunner> _runners = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();

    internal DevEnvironment(DevEnvironmentBuilder builder)
    {
        Settings = builder.Settings;
        ProcessRunner = builder.ProcessRunner;
        Time = builder.Time;
        Notifications = builder.Notifications;
        Logs = builder.Logs;
        Graph = new ResourceGraph(builder.Resources);
        _extraCommands = builder.ExtraCommands;
        foreach (var resource in Graph.Ordered)
        {
            var context = new ResourceContext(resource.Name, Notifications, Logs);
            _runners[resource.Name] = new ResourceRunner(resource, context);
            Notifications.Register(new ResourceSnapshot
            {
                Name = resource.Name,
                Kind = resource.Kind,
                State = ResourceStates.Waiting,
                Reason = "not started",
                DependsOn = [.. resource.Dependencies.Select(d => d.Name)],
                Commands = [.. CommandsOf(resource.Name).Select(c => c.Name)],
            });
        }
    }

    /// <summary>The environment's settings.</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>The one runner of external commands.</summary>
    public IProcessRunner ProcessRunner { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Where state changes are published; the console and dashboard read from here.</summary>
    public ResourceNotificationService Notifications { get; }

    /// <summary>Per-resource logs.</summary>
    public ResourceLogService Logs { get; }

    /// <summary>The resources and their dependencies.</summary>
    public ResourceGraph Graph { get; }

    /// <summary>Every resource, dependencies first.</summary>
    public IReadOnlyList<Resource> Resources => Graph.Ordered;

    /// <summary>Cancelled when the environment stops; long-running helpers (watcher, dashboard) follow it.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>The context a resource reports through.</summary>
    public ResourceContext ContextOf(string resourceName) => Runner(resourceName).Context;

    /// <summary>
    /// Starts every resource and waits until the graph has settled: each resource is usable, failed, stopped,
    /// or waiting for a dependency that failed. Returns whether everything is usable. Dependents left waiting
    /// keep waiting in the background and start when their dependency recovers (a re-run, a rebuild).
    /// Cancelling <paramref name="cancellationToken"/> (Ctrl+C) cancels starts in flight.
    /// </summary>
    public Task<bool> StartAsync(CancellationToken cancellationToken) => StartAsync(Resources, cancellationToken);

    /// <summary>Starts <paramref name="targets"/> and what they need (the <c>build</c> verb starts only registry and image).</summary>
    public async Task<bool> StartAsync(IEnumerable<Resource> targets, CancellationToken cancellationToken)
    {
        var closure = Graph.WithDependencies(targets);
        foreach (var resource in closure)
        {
            if (!ResourceStates.IsUsable(Notifications.Get(resource.Name).State))
            {
                _ = Runner(resource.Name).Launch(_lifetime.Token, cancellationToken);
            }
        }

        return await WaitUntilSettledAsync(closure, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts one resource again (after a failure, or to pick up new sources), cancelling a start in flight.
    /// It waits for its dependencies like any start. Completes when this resource's run has ended.
    /// </summary>
    public async Task<ResourceSnapshot> RestartAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        await Runner(resourceName).Launch(_lifetime.Token, cancellationToken).ConfigureAwait(false);
        return Notifications.Get(resourceName);
    }

    /// <summary>
    /// Rebuild and deploy: restarts <paramref name="resourceName"/> and, only if it comes up usable, restarts
    /// everything that depends on it, in order (image → deployment rolls out the new tag). When the restart
    /// fails, dependents are left alone, so the running version keeps serving. <paramref name="restartToken"/>
    /// cancels the first restart only (a newer source change supersedes a build; a rollout is not interrupted).
    /// </summary>
    public async Task<bool> RestartWithDependentsAsync(string resourceName, CancellationToken restartToken, CancellationToken cancellationToken)
    {
        var first = await RestartAsync(resourceName, restartToken).ConfigureAwait(false);
        if (!ResourceStates.IsUsable(first.State))
        {
            return false;
        }

        foreach (var dependent in Graph.WithDependents(Runner(resourceName).Resource).Skip(1))
        {
            if (dependent.Dependencies.Any(d => !ResourceStates.IsUsable(Notifications.Get(d.Name).State)))
            {
                // Blocked by something else (the cluster is down): it keeps waiting, and starts with the new
                // image when that recovers. Make sure it is waiting rather than idle.
                var runner = Runner(dependent.Name);
                if (runner.Current.IsCompleted && !ResourceStates.IsUsable(Notifications.Get(dependent.Name).State))
                {
                    _ = runner.Launch(_lifetime.Token);
                }

                continue;
            }

            var result = await RestartAsync(dependent.Name, cancellationToken).ConfigureAwait(false);
            if (!ResourceStates.IsUsable(result.State))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Stops the environment (Ctrl+C): cancels starts in flight, then calls every resource's StopAsync in reverse
    /// order under <paramref name="timeout"/>, collecting errors instead of stopping at the first.
    /// </summary>
    public async Task<IReadOnlyList<Exception>> StopAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_runners.Values.Select(r => r.CancelAsync())).WaitAsync(linked.Token).ConfigureAwait(false);
        return await ForEachInReverseAsync((r, c, t) => r.StopAsync(c, t), "stop", linked.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Tears the environment down (the <c>down</c> verb): DestroyAsync in reverse dependency order, then, with
    /// <paramref name="purge"/>, the data resources keep (registry volume). Errors are collected, not fatal, so one
    /// stuck resource does not leave the others behind.
    /// </summary>
    public async Task<IReadOnlyList<Exception>> DestroyAsync(bool purge, CancellationToken cancellationToken)
    {
        foreach (var registry in Resources.OfType<RegistryResource>())
        {
            // The registry removes its volume inside DestroyAsync when asked to.
            registry.PurgeOnDestroy = purge;
        }

        await Task.WhenAll(_runners.Values.Select(r => r.CancelAsync())).ConfigureAwait(false);
        var errors = new List<Exception>(await ForEachInReverseAsync(
            async (r, c, t) =>
            {
                c.SetState(ResourceStates.Stopping, "tearing down");
                await r.DestroyAsync(c, t).ConfigureAwait(false);
                if (c.Current.State != ResourceStates.Stopped)
                {
                    c.SetState(ResourceStates.Stopped, "removed");
                }
            },
            "tear down",
            cancellationToken).ConfigureAwait(false));
        if (purge)
        {
            errors.AddRange(await ForEachInReverseAsync(
                async (r, c, t) =>
                {
                    if (r is IPurgeable purgeable)
                    {
                        await purgeable.PurgeAsync(c, t).ConfigureAwait(false);
                        c.SetState(ResourceStates.Stopped, "removed with its data");
                    }
                },
                "purge",
                cancellationToken).ConfigureAwait(false));
        }

        return errors;
    }

    /// <summary>
    /// Publishes each resource's actual state without creating anything (the <c>status</c> verb). Resources that
    /// cannot look (no <see cref="IStatusProbe"/>) say so.
    /// </summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_runners.Values.Select(async runner =>
        {
            if (runner.Resource is IStatusProbe probe)
            {
                try
                {
                    await probe.ProbeAsync(runner.Context, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    runner.Context.SetState(ResourceStates.Failed, $"could not check: {ErrorText.Describe(ex)}");
                }
            }
            else
            {
                runner.Context.Update(s => s with { Reason = "this kind of resource cannot report its state without starting" });
            }
        })).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        foreach (var runner in _runners.Values)
        {
            await runner.CancelAsync().ConfigureAwait(false);
        }

        _lifetime.Dispose();
    }

    private ResourceRunner Runner(string name) =>
        _runners.TryGetValue(name, out var runner)
            ? runner
            : throw new ArgumentException($"There is no resource named '{name}'. Resources: {string.Join(", ", _runners.Keys)}.", nameof(name));

    private async Task<IReadOnlyList<Exception>> ForEachInReverseAsync(
        Func<Resource, ResourceContext, CancellationToken, Task> action, string verb, CancellationToken cancellationToken)
    {
        var errors = new List<Exception>();
        foreach (var resource in Graph.Ordered.Reverse())
        {
            var context = Runner(resource.Name).Context;
            try
            {
                await action(resource, context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var message = ex is OperationCanceledException ? "timed out or was cancelled" : ErrorText.Describe(ex);
                context.Log.Error(ex.ToString());
                context.SetState(ResourceStates.Failed, $"{verb} failed: {message}");
                errors.Add(new InvalidOperationException($"{resource.Name}: {verb} failed: {message}", ex));
            }
        }

        return errors;
    }

    private async Task<bool> WaitUntilSettledAsync(IReadOnlyList<Resource> closure, CancellationToken cancellationToken)
    {
        var names = closure.Select(r => r.Name).ToArray();
        if (names.Length == 0)
        {
            return true;
        }

        await foreach (var _ in Notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            var latest = names.ToDictionary(n => n, Notifications.Get);
            if (latest.Values.All(s => IsSettled(s, latest)))
            {
                return latest.Values.All(s => ResourceStates.IsUsable(s.State));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return false;
    }

    private bool IsSettled(ResourceSnapshot snapshot, IReadOnlyDictionary<string, ResourceSnapshot> latest)
    {
        if (ResourceStates.IsUsable(snapshot.State) || snapshot.State is ResourceStates.Failed or ResourceStates.Stopped)
        {
            return true;
        }

        // Waiting counts as settled only when it waits on something that will not come up by itself, and its
        // runner has caught up with that (its reason is the one the blocking dependency gives).
        if (snapshot.State != ResourceStates.Waiting)
        {
            return false;
        }

        var blocking = snapshot.DependsOn
            .Select(d => latest.TryGetValue(d, out var dep) ? dep : Notifications.Get(d))
            .FirstOrDefault(d => !ResourceStates.IsUsable(d.State));
        return blocking is not null
            && snapshot.Reason == ResourceRunner.WaitingReason(blocking)
            && IsBlocked(blocking, latest);
    }

    private bool IsBlocked(ResourceSnapshot dependency, IReadOnlyDictionary<string, ResourceSnapshot> latest) =>
        dependency.State is ResourceStates.Failed or ResourceStates.Stopped
        || (dependency.State == ResourceStates.Waiting && IsSettled(dependency, latest));
}
