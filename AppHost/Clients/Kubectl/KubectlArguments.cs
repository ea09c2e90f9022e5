using System.Globalization;

namespace DevEnv.AppHost.Clients.Kubectl;

/// <summary>
/// The argument lists of the kubectl commands we run. Every list starts with <c>--kubeconfig</c> and
/// <c>--context</c> (our own file, our own context), so the user's kubeconfig and current context are never
/// read or changed. Pure, so the command lines are pinned by unit tests.
/// </summary>
public sealed class KubectlArguments(string kubeconfigPath, string context, string @namespace = KubectlArguments.DefaultNamespace)
{
    /// <summary>The namespace our workloads live in.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>The field manager of our server-side applies.</summary>
    public const string FieldManager = "devenv";

    /// <summary>The namespace namespaced calls pass.</summary>
    public string Namespace { get; } = @namespace;

    /// <summary><c>kubectl version --client -o json</c> (no server needed).</summary>
    public IReadOnlyList<string> ClientVersion() => ["version", "--client", "--output=json"];

    /// <summary>
    /// Server-side apply of the YAML on stdin, owned by our field manager. <c>--force-conflicts</c> because the
    /// manifests are the source of truth: a field someone changed by hand goes back on the next <c>up</c>.
    /// </summary>
    public IReadOnlyList<string> ApplyServerSide() =>
        Global(["apply", "--server-side", $"--field-manager={FieldManager}", "--force-conflicts", "-f", "-"]);

    /// <summary><c>kubectl get nodes -o json</c>.</summary>
    public IReadOnlyList<string> GetNodes() => Global(["get", "nodes", "--output=json"]);

    /// <summary><c>kubectl wait --for=condition=Ready nodes --all --timeout=Ns</c>.</summary>
    public IReadOnlyList<string> WaitNodesReady(TimeSpan timeout) =>
        Global(["wait", "--for=condition=Ready", "nodes", "--all", $"--timeout={Seconds(timeout)}"]);

    /// <summary><c>kubectl rollout status deployment/NAME --timeout=Ns</c>.</summary>
    public IReadOnlyList<string> RolloutStatus(string deployment, TimeSpan timeout) =>
        Namespaced(["rollout", "status", $"deployment/{deployment}", "--watch=true", $"--timeout={Seconds(timeout)}"]);

    /// <summary><c>kubectl rollout restart deployment/NAME</c>.</summary>
    public IReadOnlyList<string> RolloutRestart(string deployment) =>
        Namespaced(["rollout", "restart", $"deployment/{deployment}", $"--field-manager={FieldManager}"]);

    /// <summary><c>kubectl scale deployment/NAME --replicas=N</c>.</summary>
    public IReadOnlyList<string> Scale(string deployment, int replicas) =>
        Namespaced(["scale", $"deployment/{deployment}", $"--replicas={replicas.ToString(CultureInfo.InvariantCulture)}"]);

    /// <summary><c>kubectl get deployment NAME -o json</c>.</summary>
    public IReadOnlyList<string> GetDeployment(string deployment) =>
        Namespaced(["get", "deployment", deployment, "--output=json"]);

    /// <summary><c>kubectl get pods -l SELECTOR -o json</c>.</summary>
    public IReadOnlyList<string> GetPods(string selector) =>
        Namespaced(["get", "pods", $"--selector={selector}", "--output=json"]);

    /// <summary><c>kubectl get events -o json</c>, for one pod when <paramref name="podName"/> is given.</summary>
    public IReadOnlyList<string> GetEvents(string? podName) => podName is null
        ? Namespaced(["get", "events", "--output=json"])
        : Namespaced(["get", "events", $"--field-selector=involvedObject.kind=Pod,involvedObject.name={podName}", "--output=json"]);

    /// <summary><c>kubectl logs POD --tail=N [--previous]</c>.</summary>
    public IReadOnlyList<string> LogTail(string pod, int lines, bool previous)
    {
        List<string> arguments = ["logs", pod, "--all-containers=true", $"--tail={lines.ToString(CultureInfo.InvariantCulture)}"];
        if (previous)
        {
            arguments.Add("--previous");
        }

        return Namespaced(arguments);
    }

    /// <summary>
    /// <c>kubectl logs -f -l SELECTOR --prefix</c>: every pod's lines, each prefixed with [pod/NAME/container],
    /// following new pods' output only from now on (<c>--tail=0</c> would hide start-up; 20 lines of context).
    /// </summary>
    public IReadOnlyList<string> StreamLogs(string selector, int maxPods) =>
        Namespaced(["logs", "--follow", $"--selector={selector}", "--prefix=true", "--all-containers=true",
            "--tail=20", $"--max-log-requests={maxPods.ToString(CultureInfo.InvariantCulture)}", "--ignore-errors=true"]);

    /// <summary>Formats a duration the way kubectl's flags take it, e.g. "120s".</summary>
    public static string Seconds(TimeSpan duration) =>
        ((long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    private List<string> Global(IEnumerable<string> command) =>
        ["--kubeconfig", kubeconfigPath, "--context", context, .. command];

    private List<string> Namespaced(IEnumerable<string> command) =>
        ["--kubeconfig", kubeconfigPath, "--context", context, "--namespace", Namespace, .. command];
}
