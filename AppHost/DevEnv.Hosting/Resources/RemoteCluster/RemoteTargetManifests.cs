using System.Text;
using System.Text.Json;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Configuration;
using k8s.Models;

namespace DevEnv.Hosting.Resources.RemoteCluster;

/// <summary>
/// What a remote target needs before its workloads: the namespace (created only if missing) and the imagePullSecrets
/// Secret (type kubernetes.io/dockerconfigjson) made from the same credentials the push used. Both carry our label,
/// so <c>down</c> finds the Secret; the namespace is never deleted (it may hold what others put there).
/// </summary>
public static class RemoteTargetManifests
{
    /// <summary>What <c>manifests</c> prints instead of the credentials.</summary>
    public const string Redacted = "REDACTED (up makes it from your registry credentials)";

    /// <summary>The namespace of the workloads, labelled as ours.</summary>
    public static V1Namespace Namespace(EnvironmentSettings settings) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta { Name = settings.WorkloadNamespace, Labels = EnvironmentSettings.OwnedLabels(settings.Name) },
    };

    /// <summary>
    /// The pull Secret for the registry host; with <paramref name="credentials"/> null its auth is <see cref="Redacted"/>
    /// (for review: the rendering must never carry a secret). Null when the settings want no Secret.
    /// </summary>
    public static V1Secret? PullSecret(EnvironmentSettings settings, RegistryCredentials? credentials)
    {
        if (settings.PullSecretName is not { } name || settings.RemoteRegistry is not { } registry)
        {
            return null;
        }

        var auth = credentials is null ? Redacted : credentials.BasicValue;
        var config = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            // The nodes look Docker Hub's credentials up under docker's own key (https://index.docker.io/v1/).
            ["auths"] = new Dictionary<string, object> { [registry.CredentialKey] = new Dictionary<string, string> { ["auth"] = auth } },
        });
        // For review the redacted form is readable stringData; what up applies carries the bytes in data.
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "kubernetes.io/dockerconfigjson",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = settings.WorkloadNamespace, Labels = EnvironmentSettings.OwnedLabels(settings.Name) },
            Data = credentials is null ? null : new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes(config) },
            StringData = credentials is null ? new Dictionary<string, string> { [".dockerconfigjson"] = config } : null,
        };
    }

    /// <summary>True when <paramref name="secret"/>'s data is the redacted form (what a log or <c>manifests</c> may show).</summary>
    public static bool IsRedacted(V1Secret secret) =>
        secret.Data is null && secret.StringData?.Values.All(v => v.Contains(Redacted, StringComparison.Ordinal)) == true;

}
