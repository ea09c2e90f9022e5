using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Orchestration;

/// <summary>
/// Runs one resource: waits until what it depends on is usable (saying which dependency it waits for and
/// why), then starts it. One run at a time; a new run (a re-run after a failure, a rebuild) cancels and
/// awaits the previous one first.
/// </summary>
internal sealed class ResourceRunner(Resource resource, ResourceContext context)
{
    private readonly object _gate = new();
    private CancellationTokenSource? _runCancellation;
    private Task _run = Task.CompletedTask;

    public Resource Resource { get; } = resource;

    public ResourceContext Context { get; } = context;

    /// <summary>The current run, if any; completes when the resource has started, failed or been cancelled.</summary>
    public Task Current
    {
        get
        {
            lock (_gate)
            {
                return _run;
            }
        }
    }

    /// <summary>Starts a new run (cancelling the one in flight), linked to the given tokens.</summary>
    public Task Launch(CancellationToken lifetime, CancellationToken extra = default)
    {
        lock (_gate)
        {
            _runCancellation?.Cancel();
            var cancellation = CancellationTokenSource.CreateLinkedTokenSource(lifetime, extra);
            var previous = _run;
            _runCancellation = cancellation;
            _run = Task.Run(() => RunAsync(previous, cancellation), CancellationToken.None);
            return _run;
        }
    }

    /// <summary>Cancels the run in flight, if any, and waits for it to unwind.</summary>
    public async Task CancelAsync()
    {
        Task run;
        lock (_gate)
        {
            _runCancellation?.Cancel();
            run = _run;
        }

        await run.ConfigureAwait(false);
    }

    private async Task RunAsync(Task previous, CancellationTokenSource cancellation)
    {
        // The previous run never throws (see below); it only has to finish unwinding before we start again.
        await previous.ConfigureAwait(false);
        var token = cancellation.Token;
        try
        {
            await WaitForDependenciesAsync(token).ConfigureAwait(false);
            Context.SetState(ResourceStates.Starting);
            await Resource.StartAsync(Context, token).ConfigureAwait(false);
            var state = Context.Current.State;
            if (state is not (ResourceStates.Failed or ResourceStates.Stopped) && !ResourceStates.IsUsable(state))
            {
                Context.SetState(ResourceStates.Running);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Ctrl+C or a newer run: not a failure. A resource mid-start is left as it is on disk and
            // picked up again (idempotently) by the next start. A superseded run says nothing: the new one reports.
            bool superseded;
            lock (_gate)
            {
                superseded = _runCancellation != cancellation;
            }

            var state = Context.Current.State;
            if (!superseded && !ResourceStates.IsUsable(state) && state != ResourceStates.Failed)
            {
                Context.SetState(ResourceStates.Stopped, "start cancelled");
            }
        }
        catch (Exception ex)
        {
            Context.Log.Error(ex.ToString());
            Context.SetState(ResourceStates.Failed, ErrorText.Describe(ex));
        }
        finally
        {
            lock (_gate)
            {
                if (_runCancellation == cancellation)
                {
                    _runCancellation = null;
                }
            }

            cancellation.Dispose();
        }
    }

    private async Task WaitForDependenciesAsync(CancellationToken cancellationToken)
    {
        if (Resource.Dependencies.Count == 0)
        {
            return;
        }

        var names = Resource.Dependencies.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var first = true;
        // The watch replays every snapshot first, so the current state is judged before any change arrives.
        await foreach (var snapshot in Context.Notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!first && !names.Contains(snapshot.Name))
            {
                continue;
            }

            first = false;
            var blocking = Resource.Dependencies
                .Select(d => Context.Notifications.Get(d.Name))
                .FirstOrDefault(s => !ResourceStates.IsUsable(s.State));
            if (blocking is null)
            {
                return;
            }

            var reason = WaitingReason(blocking);
            var current = Context.Current;
            if (current.State != ResourceStates.Waiting || current.Reason != reason)
            {
                Context.SetState(ResourceStates.Waiting, reason);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>"waiting for registry: port 5001 is taken" — the dependency's own reason, so the cause travels down the chain.</summary>
    internal static string WaitingReason(ResourceSnapshot dependency) =>
        dependency.State is ResourceStates.Failed or ResourceStates.Waiting or ResourceStates.Stopped && !string.IsNullOrEmpty(dependency.Reason)
            ? $"waiting for {dependency.Name}: {dependency.Reason}"
            : $"waiting for {dependency.Name} ({dependency.State})";
}
