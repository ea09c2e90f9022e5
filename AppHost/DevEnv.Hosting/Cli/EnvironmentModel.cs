using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.Hosting.Resources.Deployment;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Registry;
using DevEnv.Hosting.Resources.RemoteCluster;
using Microsoft.Extensions.DependencyInjection;

namespace DevEnv.Hosting.Cli;

/// <summary>
/// The environment as Program.cs declared it, read from Aspire's application model, for the verbs: the registry,
/// clusters, images and deployments, each with a context that reports to the console when the verb runs without DCP.
/// </summary>
public sealed class EnvironmentModel
{
    private static readonly string[] Settled = [ResourceStates.Running, ResourceStates.Degraded, ResourceStates.Failed, ResourceStates.Stopped,
        KnownResourceStates.FailedToStart, KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.RuntimeUnhealthy];

    /// <summary>Reads the model of <paramref name="app"/>.</summary>
    public EnvironmentModel(DistributedApplication app, DevEnvServices devenv, CliConsole console)
    {
        DevEnvApplication.ExpandModel(app);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        Notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        DevEnv = devenv;
        Console = console;
        Registries = [.. model.Resources.Where(r => r.Maintenance() is not null)];
        Clusters = [.. model.Resources.OfType<KindClusterResource>(), .. model.Resources.OfType<RemoteClusterResource>()];
        Images = [.. model.Resources.OfType<ContainerImageResource>()];
        Deployments = [.. model.Resources.OfType<KubernetesDeploymentResource>()];
        TelemetryReceivers = [.. model.Resources.OfType<Resources.Telemetry.Receiver.InClusterReceiverResource>()];
        Pipelines = app.Services.GetRequiredService<WorkloadCatalog>().Pipelines;
    }

    /// <summary>The environment's settings and clients.</summary>
    public DevEnvServices DevEnv { get; }

    /// <summary>Shortcut to the settings.</summary>
    public EnvironmentSettings Settings => DevEnv.Settings;

    /// <summary>Where the verb writes.</summary>
    public CliConsole Console { get; }

    /// <summary>Aspire's notification service of the application.</summary>
    public ResourceNotificationService Notifications { get; }

    /// <summary>The registry container resources.</summary>
    public IReadOnlyList<IResource> Registries { get; }

    /// <summary>The clusters: kind, or an existing one named by DEVENV_KUBE_CONTEXT.</summary>
    public IReadOnlyList<IReconciledResource> Clusters { get; }

    /// <summary>The project images.</summary>
    public IReadOnlyList<ContainerImageResource> Images { get; }

    /// <summary>The project deployments.</summary>
    public IReadOnlyList<KubernetesDeploymentResource> Deployments { get; }

    /// <summary>The clusters' in-cluster telemetry receivers.</summary>
    public IReadOnlyList<Resources.Telemetry.Receiver.InClusterReceiverResource> TelemetryReceivers { get; }

    /// <summary>Each project's build-and-roll-out pipeline.</summary>
    public IReadOnlyList<ProjectPipeline> Pipelines { get; }

    /// <summary>Every resource of ours, registry first.</summary>
    public IEnumerable<IResource> All => Registries.Concat(Clusters.OfType<IResource>()).Concat(Images).Concat(Deployments);

    /// <summary>A context reporting to the console's error stream (standard output stays the verb's result).</summary>
    public ResourceContext ConsoleContext(IResource resource)
    {
        var context = new ResourceContext(resource, Notifications, new ConsoleResourceLogger(resource.Name, Console.Error));
        if (resource is IReconciledResource reconciled)
        {
            reconciled.Context = context;
        }

        return context;
    }

    /// <summary>
    /// Waits until every given resource has settled: usable, failed or stopped, or waiting on something that failed.
    /// Returns false when the deadline passed first.
    /// </summary>
    public async Task<bool> WaitSettledAsync(IReadOnlyCollection<IResource> resources, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            while (!resources.All(IsSettled))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), timeout.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The state text of a resource, or null before its first snapshot.</summary>
    public string? StateOf(IResource resource) =>
        Notifications.TryGetCurrentState(resource.Name, out var e) ? e.Snapshot.State?.Text : null;

    private bool IsSettled(IResource resource)
    {
        var state = StateOf(resource);
        if (state is not null && Settled.Contains(state))
        {
            // A container is Running before its health check passes; it has settled once the check decided.
            return !(state == ResourceStates.Running && resource is ContainerResource && Notifications.TryGetCurrentState(resource.Name, out var e)
                     && e.Snapshot.HealthStatus is null);
        }

        // Waiting on something that will not come: settled too (the summary says what it waits for).
        return (state == ResourceStates.Waiting || state == KnownResourceStates.NotStarted)
               && resource.Annotations.OfType<WaitAnnotation>().Any(w => StateOf(w.Resource) is { } s && Settled.Contains(s) && !ResourceStates.IsUsable(s));
    }
}
