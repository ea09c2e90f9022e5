using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Resources.RemoteCluster;

/// <summary>
/// An existing cluster (DEVENV_KUBE_CONTEXT) as the deployments' target, instead of kind: nothing is created but the
/// namespace (only if missing) and the pull Secret. Before anything is applied it prints the context, the API server
/// and the kubeconfig it read; <c>down</c> removes only what carries our label in that namespace.
/// </summary>
/// <param name="name">The resource's name.</param>
/// <param name="settings">The environment (remote target set).</param>
/// <param name="kubernetes">The API of the named context, namespaced to the workloads' namespace.</param>
/// <param name="kubeconfig">The user's kubeconfig file (read only).</param>
/// <param name="credentials">The registry credentials the pull Secret is made from.</param>
public sealed class RemoteClusterTarget(string name, EnvironmentSettings settings, IKubernetesClient kubernetes, string kubeconfig,
    Func<CancellationToken, Task<RegistryCredentials?>> credentials) : Reconciler(name), IManifestSource
{
    /// <inheritdoc />
    public override string Kind => "RemoteCluster";

    /// <summary>The context deployed to.</summary>
    public string Context => settings.RemoteKubeContext ?? throw new InvalidOperationException("DEVENV_KUBE_CONTEXT is not set: a remote cluster needs its context named.");

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> RenderManifestsAsync(CancellationToken cancellationToken) => Task.FromResult(RenderManifests());

    /// <summary>The namespace and the pull Secret with its value redacted: for review, never a credential.</summary>
    public IReadOnlyList<string> RenderManifests() =>
        [.. new k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?[] { RemoteTargetManifests.Namespace(settings), RemoteTargetManifests.PullSecret(settings, null) }
            .OfType<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>>().Select(ManifestYaml.Serialize)];

    /// <summary>Names the target, then makes sure of the namespace and applies the pull Secret.</summary>
    public override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        string server;
        try
        {
            server = UserKubeconfig.ServerOf(kubeconfig, Context);
        }
        catch (InvalidOperationException ex)
        {
            context.SetState(ResourceStates.Failed, ex.Message);
            throw;
        }

        var ns = settings.WorkloadNamespace;
        context.Log.Info($"Deploying to context '{Context}' (API server {server}) from {kubeconfig} (read only), namespace {ns}");
        context.Update(s => s.WithProperty("context", Context).WithProperty("server", server).WithProperty("namespace", ns).WithProperty("kubeconfig", kubeconfig));
        context.SetState(ResourceStates.Starting, $"context {Context}, namespace {ns}");
        var created = false;
        try
        {
            created = await kubernetes.EnsureNamespaceAsync(RemoteTargetManifests.Namespace(settings), context.Log, cancellationToken).ConfigureAwait(false);
            if (settings.PullSecretName is not null)
            {
                var found = await credentials(cancellationToken).ConfigureAwait(false)
                    ?? throw new OciRegistryException(null, $"No credentials for {settings.RegistryHostAddress} to make the pull Secret from: `docker login {settings.RegistryHostAddress}`, set DEVENV_REGISTRY_USERNAME/PASSWORD, or set DEVENV_PULL_SECRET=none if the cluster already pulls from it.");
                // ApplyAsync logs the object's kind and name only, never its data.
                await kubernetes.ApplyAsync([RemoteTargetManifests.PullSecret(settings, found)!], context.Log, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is KubernetesApiException or OciRegistryException)
        {
            // Say what is already there, so nothing is half-applied without a word.
            var done = created ? $" Namespace {ns} was created; nothing else was applied." : " Nothing was applied.";
            var message = ex is KubernetesApiException { StatusCode: null } && ex.InnerException is { } cause && cause is not KubernetesApiException
                ? $"Cannot reach the API server {server} of context '{Context}' ({cause.Message}); check the network (VPN) and that DEVENV_KUBE_CONTEXT names the right cluster."
                : ex.Message;
            context.SetState(ResourceStates.Failed, message + done);
            throw new KubernetesApiException(message + done, (ex as KubernetesApiException)?.StatusCode, ex);
        }

        context.SetState(ResourceStates.Running, $"context {Context} ({server}), namespace {ns}");
    }

    /// <summary><c>down</c>: deletes what carries our label in the namespace (Deployments, Services, ConfigMaps, Secrets); the namespace stays.</summary>
    public override async Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        context.Log.Info($"Removing objects labelled {EnvironmentSettings.EnvironmentLabel}={settings.Name} from namespace {settings.WorkloadNamespace} of context '{Context}'");
        await kubernetes.DeleteByLabelAsync($"{EnvironmentSettings.EnvironmentLabel}={settings.Name}", context.Log, cancellationToken).ConfigureAwait(false);
        context.SetState(ResourceStates.Stopped, $"our objects removed from {settings.WorkloadNamespace}; the namespace and everything else in it left as they were");
    }

    /// <summary><c>down --purge</c>: also the volume claims of the app's containers (their data); plain <c>down</c> keeps them for the next <c>up</c>.</summary>
    public async Task PurgeAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        await kubernetes.DeleteClaimsByLabelAsync($"{EnvironmentSettings.EnvironmentLabel}={settings.Name}", context.Log, cancellationToken).ConfigureAwait(false);
    }
}
