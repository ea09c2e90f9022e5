using DevEnv.AppHost.Cli;
using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Clients.Kind;
using DevEnv.AppHost.Clients.Kubernetes;
using DevEnv.AppHost.Clients.Oci;
using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Configuration;
// Aliased because Clients.Docker still holds the legacy IDockerClient (ported at merge with issue 15's cluster work).
using IDockerClient = Docker.DotNet.IDockerClient;
using ILegacyDockerClient = DevEnv.AppHost.Clients.Docker.IDockerClient;

namespace DevEnv.AppHost.Hosting;

/// <summary>
/// The settings and the clients every resource of an environment shares: one process runner, one Docker Engine
/// client, one kind CLI and one Kubernetes API client on our own kubeconfig, one client of the registry's HTTP API.
/// </summary>
public sealed class DevEnvServices
{
    /// <summary>Creates the clients for <paramref name="settings"/>.</summary>
    public DevEnvServices(EnvironmentSettings settings, CliOptions options, IProcessRunner? processRunner = null)
    {
        Settings = settings;
        Options = options;
        ProcessRunner = processRunner ?? new ProcessRunner();
        Docker = DockerEngine.Connect();
        LegacyDocker = new DockerClient();
        Kind = new KindClient(ProcessRunner);
        Kubernetes = new KubernetesClient(settings.KubeconfigPath, settings.KubeContext);
        Registry = OciRegistryClient.ForHost(settings.BindAddress, settings.RegistryPort);
    }

    /// <summary>The environment's settings (DEVENV_*).</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>The verb this AppHost process runs, and its options.</summary>
    public CliOptions Options { get; }

    /// <summary>The one runner of external commands (dotnet, kind, kubectl).</summary>
    public IProcessRunner ProcessRunner { get; }

    /// <summary>The Docker Engine, through Docker.DotNet.</summary>
    public IDockerClient Docker { get; }

    /// <summary>
    /// TEMPORARY: the hand-written client, only for the kind cluster resource. Ported at merge with issue 15's cluster
    /// work; then this property and Clients/Docker/Legacy/ go.
    /// </summary>
    public ILegacyDockerClient LegacyDocker { get; }

    /// <summary>The kind CLI.</summary>
    public IKindClient Kind { get; }

    /// <summary>The Kubernetes API through our kubeconfig, its context named explicitly.</summary>
    public IKubernetesClient Kubernetes { get; }

    /// <summary>The local registry's HTTP API on the host side.</summary>
    public IOciRegistryClient Registry { get; }
}
