using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Configuration;
using k8s;

namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>
/// Puts the diagnostics commands together for one deployment's pods from the environment's settings: the agent reaches a
/// pod through the API server (<see cref="KubernetesAgentRunner"/>, the environment's own kubeconfig, built at the first
/// command, when the cluster exists), files go under the state folder.
/// </summary>
public static class PodDiagnosticsHosting
{
    /// <summary>The tools image's repository in the environment's registry (the agent, published by the image pipeline).</summary>
    public const string ToolsRepository = "devenv-diagnostics";

    /// <summary>The commands for the pods of the workload <paramref name="workload"/> names.</summary>
    public static PodDiagnosticsCommands For(EnvironmentSettings settings, Func<string> workload)
    {
        var runner = new LazyRunner(() => new KubernetesAgentRunner(new Kubernetes(
            KubernetesClientConfiguration.BuildConfigFromConfigFile(settings.KubeconfigPath, currentContext: settings.KubeContext))));
        var folder = new DiagnosticsFolder(settings.ResolvedStateDirectory);
        var toolsImage = Environment.GetEnvironmentVariable("DEVENV_DIAGNOSTICS_IMAGE") is { Length: > 0 } image
            ? image
            : $"{settings.RegistryClusterAddress}/{ToolsRepository}:{typeof(PodDiagnosticsHosting).Assembly.GetName().Version}";
        var diagnostics = new PodDiagnostics(runner, folder, toolsImage, TimeProvider.System);
        var debugger = new DebuggerAttach(settings.KubeconfigPath, settings.KubeContext, settings.SourceRoot);
        return new PodDiagnosticsCommands(diagnostics, debugger, folder, pod => new PodTarget(settings.WorkloadNamespace, pod.Name, workload()), TimeProvider.System);
    }

    // The kubeconfig exists only once the cluster does; the client is made at the first command.
    private sealed class LazyRunner(Func<IPodAgentRunner> create) : IPodAgentRunner
    {
        private readonly Lazy<IPodAgentRunner> _runner = new(create);

        public Task<int> RunAsync(PodTarget pod, string toolsImage, IReadOnlyList<string> arguments, Stream output, Action<string> onMessage, CancellationToken cancellationToken) =>
            _runner.Value.RunAsync(pod, toolsImage, arguments, output, onMessage, cancellationToken);
    }
}
