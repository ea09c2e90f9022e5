using k8s;
using k8s.Exceptions;

namespace DevEnv.Hosting.Resources.RemoteCluster;

/// <summary>
/// The user's kubeconfig, read and never written: the first file of <c>KUBECONFIG</c>, else ~/.kube/config. The context
/// comes from DEVENV_KUBE_CONTEXT only, never from the file's current-context; an unknown one names those the file has.
/// </summary>
public static class UserKubeconfig
{
    /// <summary>The file: KUBECONFIG's first entry, else ~/.kube/config.</summary>
    public static string Path(Func<string, string?> read) =>
        read("KUBECONFIG") is { Length: > 0 } list
            ? list.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0]
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");

    /// <summary>The API server of <paramref name="context"/> in <paramref name="file"/>; throws one line naming what to fix.</summary>
    public static string ServerOf(string file, string context)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"The kubeconfig {file} does not exist; set KUBECONFIG to the file that holds context {context}.");
        }

        k8s.KubeConfigModels.K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(file));
        }
        catch (Exception ex) when (ex is KubeConfigException or YamlDotNet.Core.YamlException or IOException)
        {
            throw new InvalidOperationException($"The kubeconfig {file} cannot be read ({ex.Message}).", ex);
        }

        var entry = config.Contexts?.FirstOrDefault(c => c.Name == context)
            ?? throw new InvalidOperationException($"Context '{context}' (DEVENV_KUBE_CONTEXT) is not in {file}; it has: {string.Join(", ", config.Contexts?.Select(c => c.Name) ?? [])}.");
        return config.Clusters?.FirstOrDefault(c => c.Name == entry.ContextDetails?.Cluster)?.ClusterEndpoint?.Server
            ?? throw new InvalidOperationException($"Context '{context}' in {file} names cluster '{entry.ContextDetails?.Cluster}', which the file does not define.");
    }
}
