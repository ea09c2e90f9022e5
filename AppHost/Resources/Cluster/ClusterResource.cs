using System.Globalization;
using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Clients.Kind;
using DevEnv.AppHost.Clients.Kubernetes;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Resources.Cluster;

/// <summary>
/// The kind cluster, wired to the local registry. Start-up reads like kind's own: check the tools, reuse a
/// healthy cluster or create one (node image first, so a missing image is named, not buried in kind's output),
/// then wire every node to the registry and publish the KEP-1755 ConfigMap. Our own kubeconfig throughout; the Docker
/// Engine is asked through the Docker client, the API server through KubernetesClient, kind runs through the process runner.
/// </summary>
public sealed partial class ClusterResource(string name, EnvironmentSettings settings, IKindClient kind, IKubernetesClient kubernetes, IDockerClient docker)
    : Reconciler(name), IManifestSource, IStatusProbe
{
    /// <summary>The command that deletes and recreates a broken cluster.</summary>
    public const string RecreateCommand = "recreate-cluster";

    private static readonly TimeSpan CreateWait = TimeSpan.FromMinutes(3);

    /// <inheritdoc />
    public override string Kind => "Cluster";

    /// <summary>How long a reused cluster's nodes get to become Ready (they restart with their containers).</summary>
    public TimeSpan NodesReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The settings the cluster is made from.</summary>
    public EnvironmentSettings Settings => settings;

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
        await CheckToolsAsync(context, cancellationToken).ConfigureAwait(false);

        var clusters = await kind.GetClustersAsync(log, cancellationToken).ConfigureAwait(false);
        string how;
        if (clusters.Contains(settings.Name))
        {
            context.SetState(ResourceStates.Starting, $"found kind cluster '{settings.Name}', checking its health");
            await ReuseAsync(context, cancellationToken).ConfigureAwait(false);
            how = "reused";
        }
        else
        {
            await CreateAsync(context, cancellationToken).ConfigureAwait(false);
            how = "created";
        }

        context.SetState(ResourceStates.Starting, "wiring nodes to the registry");
        var nodes = await kind.GetNodesAsync(settings.Name, log, cancellationToken).ConfigureAwait(false);
        await WireRegistryAsync(context, nodes, cancellationToken).ConfigureAwait(false);

        var states = await kubernetes.GetNodesAsync(log, cancellationToken).ConfigureAwait(false);
        var ready = states.Count(n => n.Ready);
        var expected = 1 + settings.WorkerNodes;
        context.Update(s => s
            .WithProperty("nodes", $"{ready}/{states.Count} ready")
            .WithProperty("kubernetesVersion", states.Select(n => n.KubeletVersion).FirstOrDefault(v => v is not null) ?? "")
            .WithProperty("nodeImage", settings.NodeImage)
            .WithProperty("kubeconfig", settings.KubeconfigPath)
            .WithProperty("context", settings.KubeContext)
            .WithProperty("cluster", how));
        if (states.Count != expected)
        {
            context.SetState(ResourceStates.Degraded,
                $"cluster '{settings.Name}' has {states.Count} nodes but the settings ask for {expected}; run '{RecreateCommand}' to apply");
            return;
        }

        context.SetState(ResourceStates.Running, $"{how} kind cluster '{settings.Name}' ({ready}/{states.Count} nodes ready)");
    }

    /// <summary><c>kind delete cluster --name N --kubeconfig ours</c>; nothing else of the machine is touched.</summary>
    public override async Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        context.SetState(ResourceStates.Stopping, $"deleting kind cluster '{settings.Name}'");
        try
        {
            await kind.DeleteClusterAsync(settings.Name, settings.KubeconfigPath, context.Log, cancellationToken).ConfigureAwait(false);
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
        try
        {
            context.Log.Info(await kind.GetVersionAsync(context.Log, cancellationToken).ConfigureAwait(false));
        }
        catch (ToolNotFoundException ex)
        {
            throw Fail(context, ex.Message, ex);
        }
    }

    private async Task ReuseAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var log = context.Log;
        var nodes = await kind.GetNodesAsync(settings.Name, log, cancellationToken).ConfigureAwait(false);
        if (nodes.Count == 0)
        {
            throw Fail(context, Broken("it has no node containers (a creation that was interrupted)"));
        }

        // Node containers stop with the Docker daemon (a reboot); they come back with their state.
        var stopped = await NotRunningAsync(nodes, cancellationToken).ConfigureAwait(false);
        if (stopped.Count > 0)
        {
            context.SetState(ResourceStates.Starting, $"starting stopped node containers: {string.Join(", ", stopped)}");
            await StartNodesAsync(stopped, log, cancellationToken).ConfigureAwait(false);
        }

        await WriteKubeconfigAsync(log, cancellationToken).ConfigureAwait(false);
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
        Directory.CreateDirectory(settings.ResolvedStateDirectory);
        await File.WriteAllTextAsync(settings.KubeconfigPath, kubeconfig, cancellationToken).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(settings.KubeconfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private string Broken(string detail) =>
        $"kind cluster '{settings.Name}' exists but is broken: {detail}. Recreate it with the '{RecreateCommand}' command " +
        $"(dashboard), or `dotnet run --project AppHost -- down` and run again, or by hand: " +
        $"{CommandLine.Format("kind", KindArguments.DeleteCluster(settings.Name, settings.KubeconfigPath))}";

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
