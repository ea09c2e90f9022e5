namespace DevEnv.Hosting.Configuration;

/// <summary>
/// Every knob of the environment, with the defaults that make <c>dotnet run --project AppHost</c> work with
/// no configuration. Names of everything we create derive from <see cref="Name"/>, so tests can run a
/// separate environment side by side (their own name and ports) without touching the user's.
/// Overridden by environment variables <c>DEVENV_*</c> (see <see cref="FromEnvironment"/>).
/// </summary>
public sealed record EnvironmentSettings
{
    /// <summary>The label every Docker object and Kubernetes object we create carries.</summary>
    public const string EnvironmentLabel = "dev.devenv.environment";

    /// <summary>
    /// The labels of a Kubernetes object we create for <paramref name="environment"/>: what <c>down</c> selects on. A new
    /// sorted map each call, so a caller may add its own (the workload's name) and the YAML stays byte-identical.
    /// </summary>
    public static SortedDictionary<string, string> OwnedLabels(string environment) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/managed-by"] = "devenv",
        [EnvironmentLabel] = environment,
    };

    /// <summary>Environment name; also the kind cluster name. Default "devenv".</summary>
    public string Name { get; init; } = "devenv";

    /// <summary>Root of the source tree (the folder holding DevEnv.sln).</summary>
    public string SourceRoot { get; init; } = FindSourceRoot();

    /// <summary>Where the AppHost keeps its own files (kubeconfig, rendered config). Default ~/.devenv/&lt;name&gt;.</summary>
    public string StateDirectory { get; init; } = "";

    /// <summary>Host port of the registry, bound to <see cref="BindAddress"/>. Default 5001.</summary>
    public int RegistryPort { get; init; } = 5001;

    /// <summary>Image the registry container runs. Default the official distribution registry.</summary>
    public string RegistryImage { get; init; } = "registry:3";

    /// <summary>Address every port we publish binds to. Default loopback only.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>Base image for SampleApi. Default the chiseled runtime-deps image for .NET 10.</summary>
    public string BaseImage { get; init; } = "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled";

    /// <summary>
    /// How the app image is published. <see cref="ImageMode.Trimmed"/> (default) is the shipping shape:
    /// self-contained and fully trimmed, smallest image. <see cref="ImageMode.Fast"/> skips the IL trimmer for a
    /// quicker inner loop at the cost of a larger image. Set with DEVENV_IMAGE_MODE=fast|trimmed; each mode gets its
    /// own content tag, so switching never reuses the other mode's image.
    /// </summary>
    public ImageMode ImageMode { get; init; } = ImageMode.Trimmed;

    /// <summary>
    /// DEVENV_HOT_RELOAD: whether the watch loop carries a save into the running pods with Hot Reload (true, the default)
    /// or rebuilds and rolls out on every save (false). Hot Reload applies where the pods can reach this host (kind on a
    /// native engine, one platform); elsewhere the watch loop rebuilds, and says why.
    /// </summary>
    public bool HotReload { get; init; } = true;

    /// <summary>
    /// DEVENV_HOT_RELOAD_FOLD_SECONDS: how long after the last save carried into the pods Hot Reload folds the saves into
    /// the image (a build and a quiet rollout), so a pod restarted while the AppHost is gone still runs them. 0: never.
    /// </summary>
    public TimeSpan HotReloadFoldAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// DEVENV_PLATFORMS: the platforms to build the app image for, e.g. linux/amd64,linux/arm64 (one image index). Empty
    /// (the default): the Docker Engine's own platform, which is what kind's nodes run on.
    /// </summary>
    public IReadOnlyList<ImagePlatform> Platforms { get; init; } = [];

    /// <summary>Repository name of the app image in the registry.</summary>
    public string ImageRepository { get; init; } = "sampleapi";

    /// <summary>Project folder of the app, relative to <see cref="SourceRoot"/>.</summary>
    public string AppProject { get; init; } = "SampleApi";

    /// <summary>Number of kind worker nodes. Default 2 (one control-plane plus two workers).</summary>
    public int WorkerNodes { get; init; } = 2;

    /// <summary>
    /// kind node image, pinned by digest: kind v0.32.0's image for Kubernetes 1.36 (v1.36.0 was never published
    /// as a kind image). Kept equal to Resources/Cluster/KindConfigRenderer.PinnedNodeImage (a test checks).
    /// </summary>
    public string NodeImage { get; init; } = "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";

    /// <summary>NodePort of the Service, also mapped to the same host port. Default 31000.</summary>
    public int NodePort { get; init; } = 31000;

    /// <summary>
    /// How many node ports from <see cref="NodePort"/> on kind maps to the same ports on 127.0.0.1 at creation
    /// (DEVENV_NODE_PORT_COUNT, default 10): one per external endpoint. kind cannot add a mapping to a running cluster,
    /// so the range is reserved up front.
    /// </summary>
    public int NodePortCount { get; init; } = 10;

    /// <summary>The node ports that reach 127.0.0.1: <see cref="NodePort"/> and the <see cref="NodePortCount"/> - 1 after it.</summary>
    public IReadOnlyList<int> HostNodePorts => [.. Enumerable.Range(NodePort, Math.Max(1, NodePortCount))];

    /// <summary>Replicas of the Deployment. Default 3.</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Dashboard port on <see cref="BindAddress"/>. Default 18888.</summary>
    public int DashboardPort { get; init; } = 18888;

    /// <summary>Docker network kind nodes join; the registry is connected to it.</summary>
    public string KindNetwork { get; init; } = "kind";

    /// <summary>
    /// DEVENV_REGISTRY: a registry to push to instead of starting the local one (TLS, credentials); null for the local
    /// registry. Set, it makes this a remote target: no registry container, no kind config.
    /// </summary>
    public RegistryTarget? RemoteRegistry { get; init; }

    /// <summary>
    /// DEVENV_KUBE_CONTEXT: the context of an existing cluster to deploy to instead of kind, always named explicitly
    /// (never the kubeconfig's current-context); null for kind.
    /// </summary>
    public string? RemoteKubeContext { get; init; }

    /// <summary>DEVENV_NAMESPACE: where a remote target's objects go (default devenv-&lt;name&gt;); kind keeps "default".</summary>
    public string? Namespace { get; init; }

    /// <summary>DEVENV_SERVICE_TYPE: ClusterIP, NodePort or LoadBalancer; default ClusterIP on a remote target, NodePort on kind.</summary>
    public string? ServiceType { get; init; }

    /// <summary>DEVENV_PULL_SECRET=none: the cluster already pulls from the registry, so no imagePullSecrets Secret is made.</summary>
    public bool PullSecret { get; init; } = true;

    /// <summary>True when images go to <see cref="RemoteRegistry"/> (and the cluster, if any, is not kind).</summary>
    public bool IsRemote => RemoteRegistry is not null;

    /// <summary>The namespace of the workloads: <see cref="Namespace"/>, else devenv-&lt;name&gt; on a remote target, else "default".</summary>
    public string WorkloadNamespace => Namespace ?? (IsRemote ? $"devenv-{Name}" : "default");

    /// <summary>The Service type, defaulted by target.</summary>
    public string WorkloadServiceType => ServiceType ?? (IsRemote ? "ClusterIP" : "NodePort");

    /// <summary>The name of the imagePullSecrets Secret, or null when there is none (local registry, or DEVENV_PULL_SECRET=none).</summary>
    public string? PullSecretName => IsRemote && PullSecret ? $"{Name}-registry" : null;

    /// <summary>Name of the registry container.</summary>
    public string RegistryContainerName => $"{Name}-registry";

    /// <summary>Name of the registry's blob volume (survives <c>down</c> unless purged).</summary>
    public string RegistryVolumeName => $"{Name}-registry-data";

    /// <summary>Registry address as seen from the host, e.g. localhost:5001, or the remote registry's host[:port].</summary>
    public string RegistryHostAddress => RemoteRegistry?.Host ?? $"localhost:{RegistryPort}";

    /// <summary>Registry address as seen from cluster nodes on the kind network.</summary>
    public string RegistryClusterAddress => $"{RegistryContainerName}:5000";

    /// <summary>The Kubernetes context deployed to: DEVENV_KUBE_CONTEXT, else the one kind gives the cluster.</summary>
    public string KubeContext => RemoteKubeContext ?? $"kind-{Name}";

    /// <summary>The AppHost's own kubeconfig; the user's is never touched.</summary>
    public string KubeconfigPath => Path.Combine(ResolvedStateDirectory, "kubeconfig");

    /// <summary><see cref="StateDirectory"/>, defaulted.</summary>
    public string ResolvedStateDirectory => string.IsNullOrEmpty(StateDirectory)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".devenv", Name)
        : StateDirectory;

    /// <summary>Absolute path of the app project folder.</summary>
    public string AppProjectDirectory => Path.Combine(SourceRoot, AppProject);

    /// <summary>Label pair to put on everything we create.</summary>
    public KeyValuePair<string, string> Label => new(EnvironmentLabel, Name);

    /// <summary>Defaults overridden by <c>DEVENV_*</c> environment variables.</summary>
    public static EnvironmentSettings FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var s = new EnvironmentSettings();
        s = s with
        {
            Name = read("DEVENV_NAME") ?? s.Name,
            SourceRoot = read("DEVENV_SOURCE_ROOT") ?? s.SourceRoot,
            StateDirectory = read("DEVENV_STATE_DIR") ?? s.StateDirectory,
            RegistryPort = Int("DEVENV_REGISTRY_PORT", s.RegistryPort),
            RegistryImage = read("DEVENV_REGISTRY_IMAGE") ?? s.RegistryImage,
            BaseImage = read("DEVENV_BASE_IMAGE") ?? s.BaseImage,
            ImageMode = Mode("DEVENV_IMAGE_MODE", s.ImageMode),
            HotReload = Switch("DEVENV_HOT_RELOAD", s.HotReload),
            HotReloadFoldAfter = TimeSpan.FromSeconds(Int("DEVENV_HOT_RELOAD_FOLD_SECONDS", (int)s.HotReloadFoldAfter.TotalSeconds)),
            Platforms = read("DEVENV_PLATFORMS") is { Length: > 0 } platforms ? ImagePlatform.ParseList(platforms) : s.Platforms,
            NodeImage = read("DEVENV_NODE_IMAGE") ?? s.NodeImage,
            WorkerNodes = Int("DEVENV_WORKERS", s.WorkerNodes),
            NodePort = Int("DEVENV_NODE_PORT", s.NodePort),
            NodePortCount = Int("DEVENV_NODE_PORT_COUNT", s.NodePortCount),
            Replicas = Int("DEVENV_REPLICAS", s.Replicas),
            DashboardPort = Int("DEVENV_DASHBOARD_PORT", s.DashboardPort),
        };
        return WithRemoteTarget(s, read);

        ImageMode Mode(string key, ImageMode fallback) => read(key)?.Trim().ToLowerInvariant() switch
        {
            null or "" => fallback,
            "trimmed" => ImageMode.Trimmed,
            "fast" => ImageMode.Fast,
            var text => throw new ArgumentException($"{key}='{text}' is not a valid image mode (use fast or trimmed)."),
        };

        bool Switch(string key, bool fallback) => read(key)?.Trim().ToLowerInvariant() switch
        {
            null or "" => fallback,
            "true" or "1" or "on" => true,
            "false" or "0" or "off" => false,
            var text => throw new ArgumentException($"{key}='{text}' is not valid (use true or false)."),
        };

        int Int(string key, int fallback)
        {
            var text = read(key);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text, out var value) && value >= 0
                ? value
                : throw new ArgumentException($"{key}='{text}' is not a valid number.");
        }
    }

    // DEVENV_REGISTRY, DEVENV_KUBE_CONTEXT, DEVENV_NAMESPACE, DEVENV_SERVICE_TYPE, DEVENV_PULL_SECRET: each bad value one line.
    private static EnvironmentSettings WithRemoteTarget(EnvironmentSettings s, Func<string, string?> read)
    {
        var registry = RegistryTarget.FromSettings(read);
        var context = read("DEVENV_KUBE_CONTEXT") is { Length: > 0 } c ? c.Trim() : null;
        if (context is not null && registry is null)
        {
            throw new ArgumentException($"DEVENV_KUBE_CONTEXT={context} needs DEVENV_REGISTRY=<host[:port]/path>: a shared cluster cannot pull from this machine's registry.");
        }

        var ns = read("DEVENV_NAMESPACE") is { Length: > 0 } n ? n.Trim() : null;
        if (ns is not null && !System.Text.RegularExpressions.Regex.IsMatch(ns, "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"))
        {
            throw new ArgumentException($"DEVENV_NAMESPACE='{ns}' is not a Kubernetes namespace name (lower-case letters, digits and '-', at most 63).");
        }

        var type = read("DEVENV_SERVICE_TYPE")?.Trim() switch
        {
            null or "" => null,
            var t when t.Equals("ClusterIP", StringComparison.OrdinalIgnoreCase) => "ClusterIP",
            var t when t.Equals("NodePort", StringComparison.OrdinalIgnoreCase) => "NodePort",
            var t when t.Equals("LoadBalancer", StringComparison.OrdinalIgnoreCase) => "LoadBalancer",
            var t => throw new ArgumentException($"DEVENV_SERVICE_TYPE='{t}' is not ClusterIP, NodePort or LoadBalancer."),
        };
        var pullSecret = read("DEVENV_PULL_SECRET")?.Trim() switch
        {
            null or "" => true,
            "none" => false,
            var p => throw new ArgumentException($"DEVENV_PULL_SECRET='{p}' is not understood; leave it unset (a Secret from your registry credentials) or set it to none (the cluster already pulls)."),
        };
        return s with { RemoteRegistry = registry, RemoteKubeContext = context, Namespace = ns, ServiceType = type, PullSecret = pullSecret };
    }

    /// <summary>Walks up from the current directory, then from the binary, to the folder holding DevEnv.sln.</summary>
    public static string FindSourceRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DevEnv.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Environment.CurrentDirectory;
    }
}
