using System.Globalization;

namespace DevEnv.Hosting.Clients.Kind;

/// <summary>
/// The argument lists of the kind commands we run. Pure, so the command lines are pinned by unit tests
/// and the client only has to run them and read the results.
/// </summary>
public static class KindArguments
{
    /// <summary><c>kind version</c>.</summary>
    public static IReadOnlyList<string> Version() => ["version"];

    /// <summary><c>kind create cluster --name N --config F --kubeconfig K [--image I] [--wait 120s]</c>.</summary>
    public static IReadOnlyList<string> CreateCluster(KindCreateOptions options)
    {
        var arguments = new List<string>
        {
            "create", "cluster",
            "--name", options.Name,
            "--config", options.ConfigPath,
            "--kubeconfig", options.KubeconfigPath,
        };
        if (options.Image is not null)
        {
            arguments.AddRange(["--image", options.Image]);
        }

        if (options.Wait is { } wait)
        {
            arguments.AddRange(["--wait", Seconds(wait)]);
        }

        return arguments;
    }

    /// <summary>Environment for <c>kind create cluster</c>: the node network when it is not kind's default.</summary>
    public static IReadOnlyDictionary<string, string?> CreateEnvironment(KindCreateOptions options) =>
        options.Network is null or "kind"
            ? new Dictionary<string, string?>()
            : new Dictionary<string, string?> { ["KIND_EXPERIMENTAL_DOCKER_NETWORK"] = options.Network };

    /// <summary><c>kind get clusters</c>.</summary>
    public static IReadOnlyList<string> GetClusters() => ["get", "clusters"];

    /// <summary><c>kind get nodes --name N</c>: the node container names.</summary>
    public static IReadOnlyList<string> GetNodes(string cluster) => ["get", "nodes", "--name", cluster];

    /// <summary><c>kind get kubeconfig --name N</c>: printed, written nowhere.</summary>
    public static IReadOnlyList<string> GetKubeconfig(string cluster) => ["get", "kubeconfig", "--name", cluster];

    /// <summary><c>kind delete cluster --name N --kubeconfig K</c>: only our kubeconfig loses the context.</summary>
    public static IReadOnlyList<string> DeleteCluster(string cluster, string kubeconfigPath) =>
        ["delete", "cluster", "--name", cluster, "--kubeconfig", kubeconfigPath];

    /// <summary>Formats a duration the way kind's flags take it, e.g. "120s".</summary>
    public static string Seconds(TimeSpan duration) =>
        ((long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";
}
