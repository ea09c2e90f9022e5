using System.Globalization;
using DevEnv.AppHost.Clients.Kubectl;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Resources.Deployment;

/// <content>Looking without changing: the <c>status</c> probe, and the monitoring and log copying that keep the dashboard current.</content>
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
        catch (ToolNotFoundException ex)
        {
            context.SetState(ResourceStates.Failed, ex.Message);
            return;
        }
        catch (ProcessFailedException ex)
        {
            context.SetState(ResourceStates.Stopped, $"cluster not reachable: {ex.Message.Split('\n').Last().Trim()}");
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
            context.SetState(state.Ready >= state.Desired ? ResourceStates.Running : ResourceStates.Degraded,
                $"{state.Ready}/{state.Desired} ready at http://localhost:{settings.NodePort.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>
    /// Keeps the snapshot current for the dashboard until cancelled: every <paramref name="interval"/> it refreshes
    /// the pods and counts, and moves a Running deployment to Degraded when fewer pods are ready than asked for
    /// (and back). Rollouts and failures stay owned by <see cref="StartAsync"/> and the commands.
    /// </summary>
    public async Task MonitorAsync(ResourceContext context, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                var state = await TryRefreshAsync(context, cancellationToken).ConfigureAwait(false);
                if (state is null || context.State is not (ResourceStates.Running or ResourceStates.Degraded))
                {
                    continue;
                }

                var (next, reason) = state.Ready >= state.Desired
                    ? (ResourceStates.Running, $"{state.Ready}/{state.Desired} ready at http://localhost:{settings.NodePort.ToString(CultureInfo.InvariantCulture)}")
                    : (ResourceStates.Degraded, $"only {state.Ready}/{state.Desired} pods ready");
                if (next != context.State || reason != context.Reason)
                {
                    context.SetState(next, reason);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Monitoring ends with the AppHost.
        }
    }

    private void StartBackground(ResourceContext context)
    {
        if (MonitorInterval is not { } interval)
        {
            return;
        }

        lock (_gate)
        {
            _background?.Cancel();
            _background = new CancellationTokenSource();
            var token = _background.Token;
            _backgroundTask = Task.WhenAll(
                Task.Run(() => MonitorAsync(context, interval, Time, token), CancellationToken.None),
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

    // kubectl logs -f follows the pods that exist when it starts and ends when they are gone: follow again.
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
                catch (ToolNotFoundException)
                {
                    return;
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
