using System.Globalization;
using System.Text.Json;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Telemetry;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// A project in the cluster (SampleApi by default): server-side applies the Deployment and Service of its
/// <see cref="Workload"/> for the image the image resource built, watches the rollout, and publishes ready counts and pods for the dashboard. Running it again with a
/// new image is a rolling update; the old pods serve until the new ones are ready.
/// </summary>
public sealed partial class DeploymentResource(string name, EnvironmentSettings settings, IKubernetesClient kubernetes, Func<string?> image, Func<string?> revision)
    : Reconciler(name), IManifestSource, IStatusProbe
{
    /// <summary>Image rendered by <c>manifests</c> before anything is built: a valid, obviously unbuilt tag.</summary>
    public const string UnbuiltTag = "not-built-yet";

    /// <summary>The workload name of SampleApi: its Deployment, Service and container.</summary>
    public const string SampleApiName = "sampleapi";

    private static readonly TimeSpan LogRestartDelay = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private PodPublisher? _podPublisher;
    private CancellationTokenSource? _background;
    private Task _backgroundTask = Task.CompletedTask;

    // The count the scale command set, so the next apply (a rebuild's rolling update) keeps it instead of
    // resetting the Deployment to the configured replicas. Lives as long as this AppHost process.
    private int? _scaledReplicas;

    // Made at first use: the pods' diagnostics commands need WorkloadName, which is set after construction.
    private PodPublisher Pods => _podPublisher ??= new() { Diagnostics = Diagnostics.PodDiagnosticsHosting.For(settings, () => WorkloadName) };

    /// <inheritdoc />
    public override string Kind => "Deployment";

    /// <summary>The settings this deployment renders from (its project's image repository, NodePort, replicas).</summary>
    public EnvironmentSettings Settings => settings;

    /// <summary>How long a rollout may take before it is reported failed with the pods' events and logs.</summary>
    public TimeSpan RolloutTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The image a build of the current sources would produce (its content tag computed without building), so
    /// <c>manifests</c> shows what <c>up</c> would deploy. Used for rendering only, never to deploy.
    /// </summary>
    public Func<string?>? PlannedImage { get; init; }

    /// <summary>
    /// When set, after each successful rollout the resource keeps its pods and counts current by watching them
    /// (<see cref="MonitorAsync"/>) and copies the pods' logs into its log, until <see cref="StopAsync"/>,
    /// <see cref="DestroyAsync"/> or the next start. False (the default for hand-made instances) does neither.
    /// </summary>
    public bool Monitor { get; init; }

    /// <summary>Name of the Deployment, Service and container.</summary>
    public string WorkloadName { get; init; } = SampleApiName;

    /// <summary>The Service's node port (the configured one by default); null for a ClusterIP Service.</summary>
    public int? NodePort { get; init; } = settings.NodePort;

    /// <summary>The port the app listens on in its container.</summary>
    public int ContainerPort { get; init; } = AppContract.HttpPort;

    /// <summary>The workload's ports, when the app model gave them (else one http port on <see cref="NodePort"/>).</summary>
    public IReadOnlyList<WorkloadPort>? Ports { get; init; }

    /// <summary>Each endpoint that reaches the host (a node port mapped to 127.0.0.1) with its URL, by endpoint name.</summary>
    public IReadOnlyList<(string Endpoint, string Url)> Urls => Ports is { } ports
        ? [.. ports.Where(p => p.NodePort is not null).Select(p => (p.EndpointName ?? p.Name, $"{(p.Scheme == "https" ? "https" : "http")}://localhost:{p.NodePort!.Value.ToString(CultureInfo.InvariantCulture)}"))]
        : NodePort is { } port ? [("http", $"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}")] : [];

    /// <summary>The first URL the Service answers on from the host; null without a node port.</summary>
    public string? Url => Urls.Count > 0 ? Urls[0].Url : null;

    // " at http://localhost:31000" after a ready count, or nothing for a ClusterIP Service.
    private string At => Url is { } url ? " at " + url : "";

    /// <summary>The relay the pods send telemetry through; a rollout waits (bounded) until it runs or has given up.</summary>
    public IPodTelemetrySource? TelemetryRelay { get; init; }

    /// <summary>The clock of the monitoring loop.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The label selector of the app's pods.</summary>
    public string Selector => WorkloadManifests.Selector(Workload(UnbuiltTag, UnbuiltTag));

    /// <summary>
    /// Completes the workload from the app model: its ports, its environment and arguments evaluated for the cluster,
    /// its shape and volumes (<see cref="AppModel.WorkloadPlanner"/>). Null keeps the SampleApi defaults of <see cref="Workload"/>.
    /// </summary>
    public Func<Workload, CancellationToken, Task<Workload>>? Complete { get; init; }

    /// <summary>
    /// Turns the image into what the cluster pulls, just before each apply (a container's image copied from the local
    /// Docker Engine into our registry: <see cref="Image.EngineImageMirror"/>). Null for a project's own image, which
    /// must carry a content tag.
    /// </summary>
    public Func<string, ResourceLog, CancellationToken, Task<string>>? PrepareImage { get; init; }

    /// <summary>
    /// While the watch loop carries saves into the pods with Hot Reload: the variables a pod of an image built from
    /// dotnet-watch's build needs to take them (none for any other image). Null: no Hot Reload.
    /// </summary>
    public HotReload.PodHotReloadEnvironment? HotReload { get; set; }

    /// <summary>What the last completion left out and why (an https endpoint, an external endpoint without a port), logged on each rollout.</summary>
    public Func<IReadOnlyList<string>>? Notes { get; init; }

    /// <summary>
    /// The objects for the current image, else the planned one, else a placeholder tag; with the replica count the
    /// scale command set, if it was used, else the configured one. Secret values are left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> RenderManifestsAsync(CancellationToken cancellationToken) =>
        [.. (await ObjectsAsync(withSecretValues: false, cancellationToken).ConfigureAwait(false)).Select(ManifestYaml.Serialize)];

    /// <summary>The typed objects <see cref="RenderManifestsAsync"/> prints and <see cref="StartAsync"/> applies (with the secret values).</summary>
    public async Task<IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>>> ObjectsAsync(bool withSecretValues, CancellationToken cancellationToken, string? imageToRun = null)
    {
        var current = imageToRun ?? image() ?? PlannedImage?.Invoke() ?? $"{settings.RegistryHostAddress}/{settings.ImageRepository}:{UnbuiltTag}";
        var workload = Workload(current, revision() ?? UnbuiltTag);
        if (Complete is { } complete)
        {
            workload = await complete(workload, cancellationToken).ConfigureAwait(false);
        }

        if (HotReload?.For(workload.Name, current) is { Count: > 0 } hotReload)
        {
            // dotnet-watch's builds are the inner loop's: they roll out the quick way.
            workload = workload with { Variables = [.. workload.Variables, .. hotReload], DevRollout = true };
        }

        return WorkloadManifests.All(workload, withSecretValues);
    }

    private Workload Workload(string current, string currentRevision) => new()
    {
        Name = WorkloadName,
        Environment = settings.Name,
        Image = current,
        Revision = currentRevision,
        Replicas = _scaledReplicas ?? settings.Replicas,
        ContainerPort = ContainerPort,
        NodePort = NodePort,
        Ports = Ports ?? new Workload { Name = "", Environment = "", Image = "", Revision = "", ContainerPort = ContainerPort, NodePort = NodePort }.Ports,
        Telemetry = TelemetryRelay?.Current,
        Namespace = settings.WorkloadNamespace,
        ServiceType = settings.IsRemote ? settings.WorkloadServiceType : null,
        PullSecret = settings.PullSecretName,
    };

    /// <inheritdoc />
    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var current = image() ?? throw Fail(context, "no image to deploy yet: the image resource has not published one");
        try
        {
            current = PrepareImage is { } prepare ? await PreparedAsync(prepare, current, context, cancellationToken).ConfigureAwait(false) : WorkloadManifests.RequireContentTag(current);
        }
        catch (ArgumentException ex)
        {
            throw Fail(context, ex.Message, ex);
        }

        if (TelemetryRelay is { } relay)
        {
            // Started with the cluster, like this deployment: give it a moment so the first rollout carries the settings.
            await ((Task)relay.Settled).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        context.Update(s => Urls.Aggregate(s.WithProperty("image", current), (snapshot, url) => snapshot.WithUrl(url.Endpoint, url.Url)));
        await StopBackgroundAsync().ConfigureAwait(false);
        context.SetState(ResourceStates.RollingOut, $"applying {current}");
        try
        {
            await kubernetes.ApplyAsync(await ObjectsAsync(withSecretValues: true, cancellationToken, current).ConfigureAwait(false), context.Log, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex)
        {
            throw Fail(context, $"server-side apply failed: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex) when (ex is AppModel.MissingParameterException or AppModel.UnsupportedValueException)
        {
            throw Fail(context, ex.Message, ex);
        }

        foreach (var note in Notes?.Invoke() ?? [])
        {
            context.Log.Info(note);
        }

        await WaitForRolloutAsync(context, cancellationToken).ConfigureAwait(false);
        await EnsurePortForwardsAsync(context, cancellationToken).ConfigureAwait(false);
        StartBackground(context);
    }

    // A copy that fails (the engine or the registry went away) leaves the image to the nodes, with the reason in the log.
    private static async Task<string> PreparedAsync(Func<string, ResourceLog, CancellationToken, Task<string>> prepare, string current, ResourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await prepare(current, context.Log, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Docker.DotNet.DockerApiException or Clients.Docker.DockerUnavailableException or HttpRequestException or IOException)
        {
            context.Log.Info($"Could not copy {current} into our registry ({ex.Message.Split('\n')[0]}): the cluster's nodes pull it themselves");
            return current;
        }
    }

    /// <summary>Ends monitoring, log copying and the local URLs; the Deployment keeps running for a fast next start.</summary>
    public override async Task StopAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        await StopBackgroundAsync().ConfigureAwait(false);
        await StopPortForwardsAsync().ConfigureAwait(false);
    }

    /// <summary>Ends monitoring and the local URLs; the cluster's deletion removes the Deployment itself.</summary>
    public override async Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        await StopBackgroundAsync().ConfigureAwait(false);
        await StopPortForwardsAsync().ConfigureAwait(false);
    }

    /// <summary>Reads the Deployment and its pods and publishes them as snapshot properties.</summary>
    public async Task<DeploymentState?> RefreshAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var deployment = await kubernetes.GetDeploymentAsync(WorkloadName, context.Log, cancellationToken).ConfigureAwait(false);
        var pods = await kubernetes.GetPodsAsync(Selector, context.Log, cancellationToken).ConfigureAwait(false);
        PublishPods(context, pods);
        if (deployment is not null)
        {
            PublishCounts(context, deployment);
        }

        return deployment;
    }

    // Each pod is a child resource in the dashboard; the deployment keeps the count.
    private void PublishPods(ResourceContext context, IReadOnlyList<PodState> pods)
    {
        Pods.Publish(context, pods);
        context.SetProperty("podCount", pods.Count.ToString(CultureInfo.InvariantCulture));
    }

    private static void PublishCounts(ResourceContext context, DeploymentState deployment) =>
        context.Update(s => s.WithProperty("ready", $"{deployment.Ready}/{deployment.Desired}")
            .WithProperty("replicas", deployment.Desired.ToString(CultureInfo.InvariantCulture))
            .WithProperty("updated", deployment.Updated.ToString(CultureInfo.InvariantCulture))
            .WithProperty("rollout", deployment.RolledOut ? "complete" : "in progress"));

    /// <summary>
    /// Copies every pod's output into this resource's log, prefixed with the pod name, and into the pod's own console
    /// log (its child resource), until cancelled; pods that start later are followed too (the client watches them).
    /// </summary>
    public Task StreamLogsAsync(ResourceContext context, CancellationToken cancellationToken) =>
        kubernetes.StreamLogsAsync(Selector, (pod, line) =>
        {
            context.Log.Info($"[pod/{pod}] {line}");
            Pods.Log(context, pod, line);
        }, cancellationToken);

    /// <inheritdoc />
    public override IReadOnlyList<ResourceCommand> GetCommands(ResourceContext context) =>
    [
        new(CommandNames.RestartRollout, "Restart rollout", async (_, cancellationToken) =>
        {
            await kubernetes.RestartRolloutAsync(WorkloadName, context.Log, cancellationToken).ConfigureAwait(false);
            context.SetState(ResourceStates.RollingOut, "restarting the rollout");
            return await CommandOutcomeAsync(context, "rollout restarted", cancellationToken).ConfigureAwait(false);
        }),
        new(CommandNames.Scale, "Scale", async (arguments, cancellationToken) =>
        {
            if (!arguments.TryGetValue("replicas", out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) || replicas > 50)
            {
                return CommandResult.Fail("scale needs an argument \"replicas\" between 0 and 50");
            }

            await kubernetes.ScaleAsync(WorkloadName, replicas, context.Log, cancellationToken).ConfigureAwait(false);
            _scaledReplicas = replicas;
            context.SetState(ResourceStates.RollingOut, $"scaling to {replicas}");
            return await CommandOutcomeAsync(context, $"scaled to {replicas}", cancellationToken).ConfigureAwait(false);
        }),
    ];

    private async Task<CommandResult> CommandOutcomeAsync(ResourceContext context, string success, CancellationToken cancellationToken)
    {
        try
        {
            await WaitForRolloutAsync(context, cancellationToken).ConfigureAwait(false);
            return CommandResult.Ok(success);
        }
        catch (InvalidOperationException ex)
        {
            return CommandResult.Fail(ex.Message);
        }
    }

    private async Task WaitForRolloutAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        context.SetState(ResourceStates.RollingOut, "waiting for the rollout");
        try
        {
            await kubernetes.WaitForRolloutAsync(WorkloadName, Selector, RolloutTimeout, context.Log, cancellationToken).ConfigureAwait(false);
        }
        catch (RolloutFailedException ex)
        {
            await TryRefreshAsync(context, cancellationToken).ConfigureAwait(false);
            throw Fail(context, ex.Message, ex);
        }

        var state = await TryRefreshAsync(context, cancellationToken).ConfigureAwait(false);
        context.SetState(ResourceStates.Running, state is null
            ? "rolled out"
            : $"rolled out: {state.Ready}/{state.Desired} ready{At}");
    }

    private async Task<DeploymentState?> TryRefreshAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await RefreshAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex)
        {
            // Status is a nicety; the rollout's own outcome is what counts.
            context.Log.Error("could not read the deployment's status: " + ex.Message);
            return null;
        }
    }

    private static InvalidOperationException Fail(ResourceContext context, string reason, Exception? inner = null)
    {
        context.SetState(ResourceStates.Failed, reason);
        return new InvalidOperationException(reason, inner);
    }
}
