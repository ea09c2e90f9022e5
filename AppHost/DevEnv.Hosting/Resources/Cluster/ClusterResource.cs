using System.Globalization;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kind;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Cluster;

/// <summary>
/// The kind cluster, wired to the local registry. Start-up reads like kind's own: check the tools, reuse a
/// healthy cluster or create one (node image first, so a missing image is named, not buried in kind's output),
/// then wire every node to the registry and publish the KEP-1755 ConfigMap. Our own kubeconfig throughout; the Docker
/// Engine is asked through IClusterEngine (Docker.DotNet), the API server through KubernetesClient, kind runs through the process runner.
/// </summary>
public sealed partial class ClusterResource(string name, EnvironmentSettings settings, IKindClient kind, IKubernetesClient kubernetes, IClusterEngine docker)
    : Reconciler(name), IManifestSource, IStatusProbe
{
    /// <summary>The command that deletes and recreates a broken cluster.</summary>
    public const string RecreateCommand = "recreate-cluster";

    private static readonly TimeSpan CreateWait = TimeSpan.FromMinutes(3);

    // Bounded, and not tied to the cancelled token: the clean-up after Ctrl+C must itself end.
    private static readonly TimeSpan InterruptedCleanupTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public override string Kind => "Cluster";

    /// <summary>How long the API server gets to answer once its node container runs (a static pod: 10–30 s after a start).</summary>
    public TimeSpan ApiServerTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>How long the nodes get to become Ready once the API server answers (they restart with their containers).</summary>
    public TimeSpan NodesReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The settings the cluster is made from.</summary>
    public EnvironmentSettings Settings => settings;

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> RenderManifestsAsync(CancellationToken cancellationToken) => Task.FromResult(RenderManifests());

    /// <summary>The kind config, then the local-registry-hosting ConfigMap.</summary>
    public IReadOnlyList<string> RenderManifests() =>
        [KindConfigRenderer.Render(settings), ManifestYaml.Serialize(RegistryWiring.LocalRegistryHostingConfigMap(settings))];

    /// <inheritdoc />
    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        try
        {
            await StartCoreAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProcessFailedException or DockerUnavailableException or DockerApiException or KubernetesApiException)
        {
            // Docker down, a node gone, the API server silent: the command with its exit code and stderr, or the answer with what to do.
            throw Fail(context, $"kind cluster '{settings.Name}': {ex.Message}", ex);
        }
    }

    private async Task StartCoreAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var log = context.Log;
        context.SetState(ResourceStates.Starting, "checking kind");
        await ShowEngineAsync(context, cancellationToken).ConfigureAwait(false);
        await CheckToolsAsync(context, cancellationToken).ConfigureAwait(false);

        var clusters = await kind.GetClustersAsync(log, cancellationToken).ConfigureAwait(false);
        string how;
        IReadOnlyList<string> differences = [];
        if (clusters.Contains(settings.Name))
        {
            context.SetState(ResourceStates.Starting, $"found kind cluster '{settings.Name}', checking its health");
            differences = await ReuseAsync(context, cancellationToken).ConfigureAwait(false);
            how = "reused";
        }
        else
        {
            await CreateAsync(context, cancellationToken).ConfigureAwait(false);
            how = "created";
        }

        // kind's --wait covers the control plane only (and exits 0 when it runs out): Running means every node is Ready.
        await WaitForClusterAsync(context, cancellationToken).ConfigureAwait(false);

        context.SetState(ResourceStates.Starting, "wiring nodes to the registry");
        var nodes = await kind.GetNodesAsync(settings.Name, log, cancellationToken).ConfigureAwait(false);
        await WireRegistryAsync(context, nodes, cancellationToken).ConfigureAwait(false);

        var states = await kubernetes.GetNodesAsync(log, cancellationToken).ConfigureAwait(false);
        var ready = states.Count(n => n.Ready);
        var images = await NodeImagesAsync(nodes, cancellationToken).ConfigureAwait(false);
        context.Update(s => s
            .WithProperty("nodes", $"{ready}/{states.Count} ready")
            .WithProperty("kubernetesVersion", states.Select(n => n.KubeletVersion).FirstOrDefault(v => v is not null) ?? "")
            .WithProperty("nodeImage", images)
            .WithProperty("kubeconfig", settings.KubeconfigPath)
            .WithProperty("context", settings.KubeContext)
            .WithProperty("cluster", how));
        if (differences.Count > 0)
        {
            context.SetState(ResourceStates.Degraded, CreatedWithOtherSettings(differences));
            return;
        }

        var architecture = await docker.ArchitectureAsync(cancellationToken).ConfigureAwait(false);
        context.Update(s => s.WithProperty("architecture", architecture));
        if (NodeArchitecture.Mismatch(architecture, settings.Platforms) is { } mismatch)
        {
            context.SetState(ResourceStates.Degraded, $"kind cluster '{settings.Name}': {mismatch}");
            return;
        }

        context.SetState(ready == states.Count && ready > 0 ? ResourceStates.Running : ResourceStates.Degraded,
            $"{how} kind cluster '{settings.Name}' ({ready}/{states.Count} nodes ready)");
    }

    /// <summary><c>kind delete cluster --name N --kubeconfig ours</c>; nothing else of the machine is touched.</summary>
    public override async Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        context.SetState(ResourceStates.Stopping, $"deleting kind cluster '{settings.Name}'");
        try
        {
            // kind deletes by name alone: a cluster of the user's own that happens to share the name must survive.
            if (!(await kind.GetClustersAsync(context.Log, cancellationToken).ConfigureAwait(false)).Contains(settings.Name))
            {
                context.SetState(ResourceStates.Stopped, $"kind cluster '{settings.Name}' does not exist");
                return;
            }

            var nodes = await kind.GetNodesAsync(settings.Name, context.Log, cancellationToken).ConfigureAwait(false);
            if (!await IsOursAsync(nodes, cancellationToken).ConfigureAwait(false))
            {
                context.Log.Error(NotOurs());
                context.SetState(ResourceStates.Stopped, $"kept kind cluster '{settings.Name}': this environment did not create it");
                return;
            }

            await kind.DeleteClusterAsync(settings.Name, settings.KubeconfigPath, context.Log, cancellationToken).ConfigureAwait(false);
            File.Delete(OwnedNodeRecord);
        }
        catch (ToolNotFoundException)
        {
            // Without kind there is no kind cluster of ours to delete.
            context.Log.Info("kind is not installed, so there is no cluster to delete");
        }

        context.SetState(ResourceStates.Stopped, $"kind cluster '{settings.Name}' deleted");
    }

    /// <inheritdoc />
    public override IReadOnlyList<ResourceCommand> GetCommands(ResourceContext context) =>
    [
        new(RecreateCommand, "Recreate cluster", async (_, cancellationToken) =>
        {
            await DestroyAsync(context, cancellationToken).ConfigureAwait(false);
            await StartAsync(context, cancellationToken).ConfigureAwait(false);
            return CommandResult.Ok($"kind cluster '{settings.Name}' recreated");
        }),
    ];

    private async Task CheckToolsAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        string version;
        try
        {
            version = await kind.GetVersionAsync(context.Log, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolNotFoundException ex)
        {
            throw Fail(context, ex.Message, ex);
        }

        context.Log.Info(version);
        if (KindVersion.TooOld(version) is { } tooOld)
        {
            throw Fail(context, tooOld);
        }
    }

    /// <summary>Starts what stopped, checks it is ours, half-made or made with other settings; returns those settings' differences.</summary>
    private async Task<IReadOnlyList<string>> ReuseAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var log = context.Log;
        var nodes = await kind.GetNodesAsync(settings.Name, log, cancellationToken).ConfigureAwait(false);
        if (nodes.Count == 0)
        {
            throw Fail(context, Broken("it has no node containers (a creation that was interrupted)"));
        }

        if (!await IsOursAsync(nodes, cancellationToken).ConfigureAwait(false))
        {
            throw Fail(context, NotOurs());
        }

        // Node containers stop with the Docker daemon (a reboot); they come back with their state.
        var stopped = await NotRunningAsync(nodes, cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            context.SetState(ResourceStates.Starting, $"starting stopped node containers: {string.Join(", ", stopped)}");
            await StartNodesAsync(stopped, log, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await WriteKubeconfigAsync(log, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessFailedException ex)
        {
            // kind reads the kubeconfig off the control plane; kubeadm never wrote it when the creation was cut short.
            throw Fail(context, HalfCreated(ex.Message), ex);
        }

        return CreationSettings.Differences(settings, await InspectNodesAsync(nodes, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The API server first (it needs 10–30 s after its container starts), then every node Ready; both bounded.</summary>
    private async Task WaitForClusterAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var log = context.Log;
        context.SetState(ResourceStates.Starting, "waiting for the API server");
        string version;
        try
        {
            version = await kubernetes.WaitForApiServerAsync(ApiServerTimeout, attempt =>
            {
                var progress = $"waiting for the API server: no answer yet after {attempt.Elapsed.TotalSeconds:0} of " +
                               $"{attempt.Timeout.TotalSeconds:0} s (try {attempt.Attempt})";
                context.SetState(ResourceStates.Starting, progress);
                log.Info($"{progress}: {attempt.Error}");
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex)
        {
            throw Fail(context, Broken(ex.Message), ex);
        }

        log.Info($"API server answers (Kubernetes {version})");
        context.SetState(ResourceStates.Starting, "waiting for the nodes to be Ready");
        if (!await kubernetes.WaitForNodesReadyAsync(NodesReadyTimeout, log, cancellationToken).ConfigureAwait(false))
        {
            var detail = "its nodes did not become Ready within " + NodesReadyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s";
            try
            {
                var states = await kubernetes.GetNodesAsync(log, cancellationToken).ConfigureAwait(false);
                detail += " (" + string.Join(", ", states.Select(n => $"{n.Name}: {(n.Ready ? "Ready" : "NotReady")}")) + ")";
            }
            catch (KubernetesApiException ex)
            {
                detail += "; " + ex.Message;
            }

            throw Fail(context, Broken(detail));
        }
    }

    private async Task CreateAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var log = context.Log;
        await EnsureNodeImageAsync(context, cancellationToken).ConfigureAwait(false);

        Directory.CreateDirectory(settings.ResolvedStateDirectory);
        var configPath = Path.Combine(settings.ResolvedStateDirectory, "kind-config.yaml");
        await File.WriteAllTextAsync(configPath, KindConfigRenderer.Render(settings), cancellationToken).ConfigureAwait(false);

        context.SetState(ResourceStates.Starting, $"creating kind cluster '{settings.Name}' ({1 + settings.WorkerNodes} nodes)");
        var options = new KindCreateOptions(settings.Name, configPath, settings.KubeconfigPath, settings.NodeImage, CreateWait,
            settings.KindNetwork);
        try
        {
            await kind.CreateClusterAsync(options, log, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await RemoveInterruptedCreationAsync(log).ConfigureAwait(false);
            throw;
        }
        catch (ProcessFailedException ex) when (ex.Message.Contains("pull", StringComparison.OrdinalIgnoreCase)
                                                && ex.Message.Contains("image", StringComparison.OrdinalIgnoreCase))
        {
            throw Fail(context, NodeImageUnavailable(ex.Message), ex);
        }
        catch (ProcessFailedException ex)
        {
            // kind deletes what it made when create fails (we do not pass --retain).
            throw Fail(context, $"kind could not create cluster '{settings.Name}': {ex.Message}", ex);
        }

        await RecordOwnershipAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// kind was interrupted (Ctrl+C) while creating: it had its interrupt and time to clean up, and whatever it left is
    /// ours (we just asked for it), so it goes, else the next start finds a cluster with nodes but no control plane.
    /// </summary>
    private async Task RemoveInterruptedCreationAsync(ResourceLog log)
    {
        using var bounded = new CancellationTokenSource(InterruptedCleanupTimeout);
        try
        {
            if ((await kind.GetClustersAsync(log, bounded.Token).ConfigureAwait(false)).Contains(settings.Name))
            {
                await kind.DeleteClusterAsync(settings.Name, settings.KubeconfigPath, log, bounded.Token).ConfigureAwait(false);
                log.Info($"removed what the interrupted creation of kind cluster '{settings.Name}' had made");
            }
        }
        catch (Exception ex) when (ex is ProcessFailedException or OperationCanceledException)
        {
            log.Error($"the interrupted creation of kind cluster '{settings.Name}' left parts behind that could not be removed " +
                      $"({ex.Message}); remove them with {CommandLine.Format("kind", KindArguments.DeleteCluster(settings.Name, settings.KubeconfigPath))}");
        }
    }

    private async Task WireRegistryAsync(ResourceContext context, IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        var log = context.Log;
        await WireNodesAsync(nodes, log, cancellationToken).ConfigureAwait(false);
        await kubernetes.ApplyAsync([RegistryWiring.LocalRegistryHostingConfigMap(settings)], log, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteKubeconfigAsync(ResourceLog log, CancellationToken cancellationToken)
    {
        var kubeconfig = await kind.GetKubeconfigAsync(settings.Name, log, cancellationToken).ConfigureAwait(false);
        await PrivateFile.WriteAsync(settings.KubeconfigPath, kubeconfig, cancellationToken).ConfigureAwait(false);
    }

    private string Broken(string detail) =>
        $"kind cluster '{settings.Name}' exists but is broken: {detail}. Recreate it with the '{RecreateCommand}' command " +
        $"(dashboard), or `dotnet run --project AppHost -- down` and run again, or by hand: " +
        $"{CommandLine.Format("kind", KindArguments.DeleteCluster(settings.Name, settings.KubeconfigPath))}";

    private string HalfCreated(string detail) =>
        Broken($"kind cannot read its kubeconfig off the control-plane node, as after a creation that was interrupted ({detail.Trim()})");

    private string NotOurs() =>
        $"kind cluster '{settings.Name}' exists but this environment did not create it (its control-plane node does not carry " +
        $"{EnvironmentSettings.EnvironmentLabel}={settings.Name}), so it is left alone: choose another DEVENV_NAME, or delete it yourself " +
        $"with `kind delete cluster --name {settings.Name}` if it is yours to delete";

    private string CreatedWithOtherSettings(IReadOnlyList<string> differences) =>
        $"kind cluster '{settings.Name}' was created with other settings than these: {string.Join("; ", differences)}. kind fixes them when it " +
        $"creates a cluster: recreate it to apply them (the '{RecreateCommand}' command in the dashboard, or `dotnet run --project AppHost -- down` and run again)";

    private string NodeImageUnavailable(string error) =>
        $"node image {settings.NodeImage} cannot be obtained: {error.Trim()}. Pull it where its registry is reachable " +
        "(`docker pull` then `docker save` / `docker load` here), or point DEVENV_NODE_IMAGE at an image you have " +
        "(`kind build node-image`).";

    private static InvalidOperationException Fail(ResourceContext context, string reason, Exception? inner = null)
    {
        context.SetState(ResourceStates.Failed, reason);
        return new InvalidOperationException(reason, inner);
    }
}
