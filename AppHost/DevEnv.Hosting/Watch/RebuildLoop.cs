namespace DevEnv.Hosting.Watch;

/// <summary>
/// Runs the rebuild pipeline (build → push → roll out) once per burst of source changes, one run at a time.
/// A change during a run cancels the run's build phase (its sources are stale) and queues exactly one
/// follow-up run, however many changes arrive; the roll-out phase is not cancelled, so a half-applied
/// rollout is never abandoned — the follow-up simply rolls out again.
/// </summary>
public sealed class RebuildLoop
{
    private readonly object _gate = new();
    private readonly Func<RebuildRun, Task> _pipeline;
    private readonly CancellationToken _lifetime;
    private CancellationTokenSource? _buildCancellation;
    private bool _running;
    private bool _queued;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the loop; <paramref name="lifetime"/> ends it (Ctrl+C).</summary>
    public RebuildLoop(Func<RebuildRun, Task> pipeline, CancellationToken lifetime)
    {
        _pipeline = pipeline;
        _lifetime = lifetime;
    }

    /// <summary>Runs started so far (for tests and the console).</summary>
    public int Runs { get; private set; }

    /// <summary>The loop task; completes when no run is in flight or queued.</summary>
    public Task Idle
    {
        get
        {
            lock (_gate)
            {
                return _loop;
            }
        }
    }

    /// <summary>Sources changed: start a run, or supersede the one in flight.</summary>
    public void Trigger()
    {
        lock (_gate)
        {
            if (_lifetime.IsCancellationRequested)
            {
                return;
            }

            if (_running)
            {
                _queued = true;
                _buildCancellation?.Cancel();
                return;
            }

            _running = true;
            _loop = Task.Run(LoopAsync, CancellationToken.None);
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            CancellationTokenSource build;
            lock (_gate)
            {
                _queued = false;
                build = CancellationTokenSource.CreateLinkedTokenSource(_lifetime);
                _buildCancellation = build;
                Runs++;
            }

            try
            {
                await _pipeline(new RebuildRun(Runs, build.Token, _lifetime)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Superseded by a newer change, or Ctrl+C: the queued run (if any) follows.
            }
            catch (Exception)
            {
                // The pipeline reports failures on the resources themselves; the next change tries again.
            }
            finally
            {
                lock (_gate)
                {
                    _buildCancellation = null;
                }

                build.Dispose();
            }

            lock (_gate)
            {
                if (!_queued || _lifetime.IsCancellationRequested)
                {
                    _running = false;
                    return;
                }
            }
        }
    }
}
