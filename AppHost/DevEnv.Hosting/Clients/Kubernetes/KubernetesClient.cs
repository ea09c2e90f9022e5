using System.Globalization;
using System.Net;
using System.Text.Json;
using DevEnv.Hosting.Model;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// <see cref="IKubernetesClient"/> on KubernetesClient's <see cref="k8s.Kubernetes"/>, configured from our own
/// kubeconfig file and an explicit context (never the file's current-context, never ~/.kube/config). The file is
/// read when first needed and again whenever it changes, because the cluster resource rewrites it on every start.
/// </summary>
public sealed partial class KubernetesClient(string kubeconfigPath, string context, string @namespace = KubernetesClient.DefaultNamespace)
    : IKubernetesClient, IDisposable
{
    /// <summary>The namespace our workloads live in.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>The field manager of our server-side applies and patches.</summary>
    public const string FieldManager = "devenv";

    private readonly Lock _gate = new();
    private k8s.Kubernetes? _api;
    private string? _server;
    private (DateTime Written, long Length) _loaded;

    /// <summary>The namespace namespaced calls use.</summary>
    public string Namespace { get; } = @namespace;

    /// <summary>How long a watch that the API server closed waits before it is opened again.</summary>
    public TimeSpan RewatchDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task ApplyAsync(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, ResourceLog log, CancellationToken cancellationToken)
    {
        foreach (var item in objects)
        {
            var name = item.Metadata?.Name ?? throw new ArgumentException($"A {item.Kind} without metadata.name cannot be applied.", nameof(objects));
            var ns = item.Metadata.NamespaceProperty ?? Namespace;
            // The object itself is the patch: apply-patch+yaml takes JSON, which is YAML, so nothing is re-quoted.
            var patch = new V1Patch(item, V1Patch.PatchType.ApplyPatch);
            await CallAsync($"apply {item.Kind} {ns}/{name}", api => item switch
            {
                V1Deployment => (Task)api.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: FieldManager, fieldValidation: "Strict", force: true, cancellationToken: cancellationToken),
                V1Service => api.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: FieldManager, fieldValidation: "Strict", force: true, cancellationToken: cancellationToken),
                V1ConfigMap => api.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: FieldManager, fieldValidation: "Strict", force: true, cancellationToken: cancellationToken),
                V1Secret => api.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, fieldManager: FieldManager, fieldValidation: "Strict", force: true, cancellationToken: cancellationToken),
                _ => throw new NotSupportedException($"Applying {item.ApiVersion} {item.Kind} is not supported."),
            }).ConfigureAwait(false);
            log.Info($"{item.Kind.ToLowerInvariant()}/{name} applied (server-side, field manager {FieldManager})");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NodeState>> GetNodesAsync(ResourceLog log, CancellationToken cancellationToken)
    {
        var nodes = await CallAsync("list nodes", api => api.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. nodes.Items.Select(KubernetesStates.Node)];
    }

    /// <inheritdoc />
    public async Task RestartRolloutAsync(string deployment, ResourceLog log, CancellationToken cancellationToken)
    {
        // The same change kubectl rollout restart makes: a new template annotation, so a new ReplicaSet.
        var body = new Dictionary<string, object>
        {
            ["spec"] = new Dictionary<string, object>
            {
                ["template"] = new Dictionary<string, object>
                {
                    ["metadata"] = new Dictionary<string, object>
                    {
                        ["annotations"] = new Dictionary<string, string>
                        {
                            ["kubectl.kubernetes.io/restartedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                        },
                    },
                },
            },
        };
        await CallAsync($"restart deployment {Namespace}/{deployment}", api => api.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(JsonSerializer.Serialize(body), V1Patch.PatchType.StrategicMergePatch), deployment, Namespace,
            fieldManager: FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
        log.Info($"deployment/{deployment} restarted");
    }

    /// <inheritdoc />
    public async Task ScaleAsync(string deployment, int replicas, ResourceLog log, CancellationToken cancellationToken)
    {
        var body = "{\"spec\":{\"replicas\":" + replicas.ToString(CultureInfo.InvariantCulture) + "}}";
        await CallAsync($"scale deployment {Namespace}/{deployment}", api => api.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch(body, V1Patch.PatchType.MergePatch), deployment, Namespace, fieldManager: FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
        log.Info($"deployment/{deployment} scaled to {replicas}");
    }

    /// <inheritdoc />
    public async Task<DeploymentState?> GetDeploymentAsync(string deployment, ResourceLog log, CancellationToken cancellationToken)
    {
        try
        {
            var found = await CallAsync($"read deployment {Namespace}/{deployment}",
                api => api.AppsV1.ReadNamespacedDeploymentAsync(deployment, Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return KubernetesStates.Deployment(found);
        }
        catch (KubernetesApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PodState>> GetPodsAsync(string selector, ResourceLog log, CancellationToken cancellationToken)
    {
        var pods = await CallAsync($"list pods {selector}", api => api.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var sets = await CallAsync($"list replicasets {selector}", api => api.AppsV1.ListNamespacedReplicaSetAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var events = await GetEventsAsync(null, log, cancellationToken).ConfigureAwait(false);
        var revisions = Revisions(sets.Items);
        return [.. pods.Items.OrderBy(p => p.Metadata?.Name, StringComparer.Ordinal).Select(p => KubernetesStates.Pod(p, events, revisions))];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KubeEvent>> GetEventsAsync(string? podName, ResourceLog log, CancellationToken cancellationToken)
    {
        var selector = podName is null ? "involvedObject.kind=Pod" : $"involvedObject.kind=Pod,involvedObject.name={podName}";
        var events = await CallAsync("list events", api => api.CoreV1.ListNamespacedEventAsync(Namespace, fieldSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return KubernetesStates.ByTime(events.Items.Select(KubernetesStates.Event));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetLogTailAsync(string pod, int lines, bool previous, ResourceLog log, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await CallAsync($"read log of pod {Namespace}/{pod}", api => api.CoreV1.ReadNamespacedPodLogAsync(pod, Namespace,
                tailLines: lines, previous: previous, cancellationToken: cancellationToken)).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (KubernetesApiException ex) when (ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            // A container that never started has no logs; that is an answer, not an error.
            return [];
        }
    }

    /// <inheritdoc />
    public async Task<int> DeleteByLabelAsync(string selector, ResourceLog log, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var deployments = await CallAsync("list deployments", api => api.AppsV1.ListNamespacedDeploymentAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var item in deployments.Items)
        {
            await CallAsync($"delete deployment {item.Metadata.Name}", api => api.AppsV1.DeleteNamespacedDeploymentAsync(item.Metadata.Name, Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            deleted++;
        }

        var services = await CallAsync("list services", api => api.CoreV1.ListNamespacedServiceAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var item in services.Items)
        {
            await CallAsync($"delete service {item.Metadata.Name}", api => api.CoreV1.DeleteNamespacedServiceAsync(item.Metadata.Name, Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            deleted++;
        }

        var maps = await CallAsync("list configmaps", api => api.CoreV1.ListNamespacedConfigMapAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var item in maps.Items)
        {
            await CallAsync($"delete configmap {item.Metadata.Name}", api => api.CoreV1.DeleteNamespacedConfigMapAsync(item.Metadata.Name, Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            deleted++;
        }

        // The pull Secret of a remote target; only ours (the label), never the namespace's other Secrets.
        var secrets = await CallAsync("list secrets", api => api.CoreV1.ListNamespacedSecretAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var item in secrets.Items)
        {
            await CallAsync($"delete secret {item.Metadata.Name}", api => api.CoreV1.DeleteNamespacedSecretAsync(item.Metadata.Name, Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            deleted++;
        }

        log.Info($"deleted {deleted} objects labelled {selector} in namespace {Namespace}");
        return deleted;
    }

    /// <inheritdoc />
    public async Task<int> DeleteClaimsByLabelAsync(string selector, ResourceLog log, CancellationToken cancellationToken)
    {
        var claims = await CallAsync("list persistentvolumeclaims", api => api.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Namespace, labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var item in claims.Items)
        {
            await CallAsync($"delete persistentvolumeclaim {item.Metadata.Name}", api => api.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(item.Metadata.Name, Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        log.Info($"deleted {claims.Items.Count} volume claims labelled {selector} in namespace {Namespace} (their data with them)");
        return claims.Items.Count;
    }

    /// <inheritdoc />
    public async Task<bool> EnsureNamespaceAsync(V1Namespace ns, ResourceLog log, CancellationToken cancellationToken)
    {
        var name = ns.Metadata.Name;
        var exists = await CallAsync($"read namespace {name}", async api =>
        {
            try
            {
                await api.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }).ConfigureAwait(false);
        if (exists)
        {
            log.Info($"namespace/{name} exists; left as it is");
            return false;
        }

        try
        {
            await CallAsync($"create namespace {name}", api => api.CoreV1.CreateNamespaceAsync(ns, fieldManager: FieldManager, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (KubernetesApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new KubernetesApiException($"You may not create namespace {name} ({ex.Message}); ask the cluster's admin to create it, or set DEVENV_NAMESPACE to a namespace you may use.", ex.StatusCode, ex);
        }

        log.Info($"namespace/{name} created");
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _api?.Dispose();
            _api = null;
        }
    }

    private static Dictionary<string, string> Revisions(IEnumerable<V1ReplicaSet> sets) =>
        sets.Where(s => s.Metadata?.Annotations?.ContainsKey(KubernetesStates.RevisionAnnotation) == true)
            .ToDictionary(s => s.Metadata.Name, s => s.Metadata.Annotations[KubernetesStates.RevisionAnnotation], StringComparer.Ordinal);
}
