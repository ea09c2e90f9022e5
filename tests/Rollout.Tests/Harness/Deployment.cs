namespace DevEnv.Rollout.Tests.Harness;

/// <summary>
/// TEST-ONLY stand-in for the Deployment controller: keeps a set of replicas of its pod template (the rendered
/// Deployment's), replaces them with a rolling update honouring maxSurge/maxUnavailable (new pods count as available once ready; terminating pods do not count),
/// and scales down. Never used by the product.
/// </summary>
public sealed class Deployment(Kubelet kubelet, HarnessOptions template)
{
    private HarnessOptions _template = template;
    private readonly List<Replica> _current = [];
    private readonly List<Replica> _history = [];
    private int _generation;

    /// <summary>Replicas currently owned (not terminating).</summary>
    public IReadOnlyList<Replica> Current => _current.ToList();

    /// <summary>Every replica ever started, in order.</summary>
    public IReadOnlyList<Replica> History => _history.ToList();

    /// <summary>The pod template new replicas start from.</summary>
    public HarnessOptions Template => _template;

    /// <summary>Starts <see cref="HarnessOptions.Replicas"/> replicas and waits until all are ready.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        var started = await Task.WhenAll(Enumerable.Range(0, _template.Replicas).Select(_ => kubelet.StartAsync(_template, _generation, cancellationToken))).ConfigureAwait(false);
        _current.AddRange(started);
        _history.AddRange(started);
        await Task.WhenAll(started.Select(r => kubelet.WaitReadyAsync(r, cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces every replica with one of <paramref name="next"/> (a new image: a changed pod template; the same one: a
    /// restart): at most Replicas + maxSurge pods exist (terminating ones aside) and at least Replicas - maxUnavailable
    /// are ready at any time, with the new template's numbers. Returns when all old pods have exited.
    /// </summary>
    public async Task RollingUpdateAsync(HarnessOptions next, CancellationToken cancellationToken)
    {
        _template = next;
        var options = next;
        if (options.MaxSurge == 0 && options.MaxUnavailable == 0) throw new ArgumentException("maxSurge and maxUnavailable cannot both be 0");
        var generation = ++_generation;
        var old = _current.ToList();
        var fresh = new List<Replica>();
        var terminations = new List<Task>();
        var readyWaits = new Dictionary<Replica, Task>();
        // The Deployment controller's progressDeadlineSeconds, per replica replaced (this stand-in has no progress condition).
        var deadline = kubelet.Now + options.ProgressDeadline * (options.Replicas + 1);
        // Each pass either starts, terminates or waits for a change; the count bound and the deadline stop a stuck update.
        for (var pass = 0; pass < 10_000 && (old.Count > 0 || fresh.Any(r => r.Ready is null)); pass++)
        {
            if (kubelet.Now > deadline) throw new TimeoutException($"rolling update stuck: {old.Count} old, {fresh.Count(r => r.Ready is not null)}/{fresh.Count} new ready");
            // The ReplicaSet controller creates the pods the surge allows together, and the kubelet starts them in parallel.
            var room = Math.Max(0, Math.Min(options.Replicas + options.MaxSurge - old.Count - fresh.Count, options.Replicas - fresh.Count));
            foreach (var replica in await Task.WhenAll(Enumerable.Range(0, room).Select(_ => kubelet.StartAsync(next, generation, cancellationToken))).ConfigureAwait(false))
            {
                fresh.Add(replica);
                _history.Add(replica);
                readyWaits[replica] = kubelet.WaitReadyAsync(replica, cancellationToken);
            }
            var available = old.Count + fresh.Count(r => r.Ready is not null);
            while (old.Count > 0 && available - 1 >= options.Replicas - options.MaxUnavailable)
            {
                var victim = old[0];
                old.RemoveAt(0);
                _current.Remove(victim);
                terminations.Add(kubelet.TerminateAsync(victim, cancellationToken));
                available--;
            }
            var pending = readyWaits.Where(w => !w.Value.IsCompleted).Select(w => w.Value).ToList();
            if (pending.Count > 0)
            {
                await Task.WhenAny(pending).ConfigureAwait(false);
            }
            else if (old.Count > 0)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            // Surface a replica that never became ready.
            foreach (var failed in readyWaits.Values.Where(t => t.IsFaulted)) await failed.ConfigureAwait(false);
        }
        _current.AddRange(fresh);
        await Task.WhenAll(terminations).ConfigureAwait(false);
    }

    /// <summary>Scales down to <paramref name="replicas"/>, terminating the newest extra pods in parallel.</summary>
    public async Task ScaleDownAsync(int replicas, CancellationToken cancellationToken)
    {
        var victims = _current.Skip(replicas).ToList();
        foreach (var victim in victims) _current.Remove(victim);
        await Task.WhenAll(victims.Select(v => kubelet.TerminateAsync(v, cancellationToken))).ConfigureAwait(false);
    }
}
