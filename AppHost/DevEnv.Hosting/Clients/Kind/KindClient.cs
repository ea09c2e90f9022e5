using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Clients.Kind;

/// <summary>Runs the kind CLI through <see cref="IProcessRunner"/> and reads its output.</summary>
public sealed class KindClient(IProcessRunner runner, string executable = "kind") : IKindClient
{
    /// <summary>Appended to "'kind' was not found on PATH."</summary>
    public const string InstallHint =
        "Install kind (https://kind.sigs.k8s.io/docs/user/quick-start/#installation): a release binary from " +
        "https://kind.sigs.k8s.io/dl/v0.32.0/kind-linux-amd64 (or -darwin-arm64, -windows-amd64) placed on PATH, " +
        "`go install sigs.k8s.io/kind@v0.32.0`, `brew install kind`, `winget install Kubernetes.kind`, " +
        "or on Debian trixie/sid `apt-get install kind`.";

    /// <inheritdoc />
    public async Task<string> GetVersionAsync(ResourceLog log, CancellationToken cancellationToken) =>
        (await RunAsync(KindArguments.Version(), log, cancellationToken).ConfigureAwait(false)).Output.Trim();

    /// <summary>How long an interrupted <c>kind create</c> gets to remove what it made before it is killed.</summary>
    public static readonly TimeSpan CreateInterruptGrace = TimeSpan.FromSeconds(20);

    /// <inheritdoc />
    public Task CreateClusterAsync(KindCreateOptions options, ResourceLog log, CancellationToken cancellationToken) =>
        RunAsync(KindArguments.CreateCluster(options), log, cancellationToken, KindArguments.CreateEnvironment(options), CreateInterruptGrace);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetClustersAsync(ResourceLog log, CancellationToken cancellationToken)
    {
        var result = await RunAsync(KindArguments.GetClusters(), log, cancellationToken).ConfigureAwait(false);
        return Lines(result);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetNodesAsync(string cluster, ResourceLog log, CancellationToken cancellationToken)
    {
        var result = await RunAsync(KindArguments.GetNodes(cluster), log, cancellationToken).ConfigureAwait(false);
        return Lines(result);
    }

    /// <inheritdoc />
    public async Task<string> GetKubeconfigAsync(string cluster, ResourceLog log, CancellationToken cancellationToken)
    {
        // Not echoed into the resource log: the kubeconfig holds the cluster's client key.
        var result = await RunAsync(KindArguments.GetKubeconfig(cluster), ResourceLog.None, cancellationToken).ConfigureAwait(false);
        log.Info($"$ {result.Spec} (output not logged: it holds credentials)");
        return result.Output + "\n";
    }

    /// <inheritdoc />
    public Task DeleteClusterAsync(string cluster, string kubeconfigPath, ResourceLog log, CancellationToken cancellationToken) =>
        RunAsync(KindArguments.DeleteCluster(cluster, kubeconfigPath), log, cancellationToken);

    // kind prints "No kind clusters found." / "No kind nodes found for cluster ..." on stderr with exit 0,
    // so only stdout lines are names.
    private static string[] Lines(ProcessResult result) =>
        result.StandardOutput.Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    private async Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, ResourceLog log, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? interruptGrace = null)
    {
        // Ctrl+C reaches kind as an interrupt, as at a terminal, rather than a kill of its tree.
        var spec = new ProcessSpec(executable, arguments) { Environment = environment ?? new Dictionary<string, string?>(), InterruptGrace = interruptGrace };
        try
        {
            return await runner.RunCheckedAsync(spec, log, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolNotFoundException)
        {
            throw new ToolNotFoundException(executable, InstallHint);
        }
    }
}
