using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.Deployment;

/// <content>Looking without changing: the <c>status</c> probe, and the watches and log copying that keep the dashboard current.</content>
public sealed partial class DeploymentResource
{
    /// <summary>The <c>status</c> verb: reads the Deployment and its pods through our kubeconfig, changes nothing.</summary>
    public async Task ProbeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.KubeconfigPath))
        {
            context.SetState(ResourceStates.Stopped, "not deployed: the cluster has not been created (no kubeconfig yet)");
            return;
        }

        DeploymentState? state;
        try
        {
            state = await RefreshAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex)
        {
            context.SetState(ResourceStates.Stopped, $"cluster not reachable: {ex.Message}");
            return;
        }

        if (state is null)
        {
            context.SetState(ResourceStates.Stopped, "not deployed");
        }
        else if (!state.RolledOut)
        {
            context.SetState(ResourceStates.RollingOut, $"rolling out: {state.Updated}/{state.Desired} updated, {state.Ready} ready");
        }
        else
        {
            context.SetState(state.Ready >= state.Desired ? ResourceStates.Running : ResourceStates.Degraded, $"{state.Ready}/{state.Desired} ready{At}");
        }
    }

    /// <summary>
    /// Keeps the snapshot current for the dashboard until cancelled, from watches (the API server pushes every
    /// change): the pods with their revisions and probe failures, and the counts, moving a Running deployment to
    /// Degraded when fewer pods are ready than asked for (and back). Rollouts and failures stay owned by
    /// <see cref="StartAsync"/> and the commands.
    /// </summary>
    public async Task MonitorAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var pods = kubernetes.WatchPodsAsync(Selector, states => PublishPods(context, states), cancellationToken);
        var counts = kubernetes.WatchDeploymentAsync(WorkloadName, state =>
        {
            PublishCounts(context, state);
            if (context.State is not (ResourceStates.Running or ResourceStates.Degraded))
            {
                return;
            }

            var (next, reason) = state.Ready >= state.Desired
                ? (ResourceStates.Running, $"{state.Ready}/{state.Desired} ready{At}")
                : (ResourceStates.Degraded, $"only {state.Ready}/{state.Desired} pods ready");
            if (next != context.State || reason != context.Reason)
            {
                context.SetState(next, reason);
            }
        }, cancellationToken);
        try
        {
            await Task.WhenAll(pods, counts).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Monitoring ends with the AppHost.
        }
    }

    private void StartBackground(ResourceContext context)
    {
        if (!Monitor)
        {
            return;
        }

        lock (_gate)
        {
            _background?.Cancel();
            _background = new CancellationTokenSource();
            var token = _background.Token;
            _backgroundTask = Task.WhenAll(
                Task.Run(() => MonitorAsync(context, token), CancellationToken.None),
                Task.Run(() => CopyLogsAsync(context, token), CancellationToken.None));
        }
    }

    private async Task StopBackgroundAsync()
    {
        Task running;
        lock (_gate)
        {
            _background?.Cancel();
            _background = null;
            running = _backgroundTask;
        }

        await running.ConfigureAwait(false);
    }

    // The client follows pods as they come and go; a failure (the API server restarting) starts it again.
    private async Task CopyLogsAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await StreamLogsAsync(context, cancellationToken).ConfigureAwait(false);
                }
                catch (KubernetesApiException ex)
                {
                    context.Log.Error("could not follow the pods' logs: " + ex.Message);
                }

                await Task.Delay(LogRestartDelay, Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the resource.
        }
    }
}
