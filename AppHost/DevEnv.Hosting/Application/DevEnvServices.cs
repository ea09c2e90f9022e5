using DevEnv.Hosting.Cli;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Kind;
using DevEnv.Hosting.Clients.Kubernetes;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Resources.RemoteCluster;
using Docker.DotNet;

namespace DevEnv.Hosting.Application;

/// <summary>
/// The settings and the clients every resource of an environment shares: one process runner, one Docker Engine
/// client, one kind CLI and one Kubernetes API client on our own kubeconfig, one client of the registry's HTTP API.
/// </summary>
public sealed class DevEnvServices
{
    /// <summary>
    /// Creates the clients for <paramref name="settings"/>; <paramref name="read"/> gives DOCKER_CONFIG, KUBECONFIG and
    /// DEVENV_REGISTRY_USERNAME/PASSWORD (the process environment when null). A remote target gets a TLS client of
    /// DEVENV_REGISTRY with the docker CLI's credentials, and the user's kubeconfig with DEVENV_KUBE_CONTEXT.
    /// </summary>
    public DevEnvServices(EnvironmentSettings settings, CliOptions options, IProcessRunner? processRunner = null, IDockerClient? docker = null, Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        Settings = settings;
        Options = options;
        ProcessRunner = processRunner ?? new ProcessRunner();
        DockerEndpoint = docker is null ? DockerEndpointResolver.Resolve() : null;
        Docker = docker ?? DockerEngine.Connect(DockerEndpoint);
        Kind = new KindClient(ProcessRunner);
        if (settings.RemoteRegistry is { } target)
        {
            var source = new DockerCredentialSource(read, ProcessRunner);
            RegistryCredentials = ct => source.FindAsync(target.CredentialKey, ct);
            Registry = OciRegistryClient.ForTarget(target, RegistryCredentials, settings: read);
        }
        else
        {
            Registry = OciRegistryClient.ForHost(settings.BindAddress, settings.RegistryPort);
        }

        Kubeconfig = settings.RemoteKubeContext is null ? settings.KubeconfigPath : UserKubeconfig.Path(read);
        Kubernetes = new KubernetesClient(Kubeconfig, settings.KubeContext, settings.WorkloadNamespace);
    }

    /// <summary>The kubeconfig read: our own for kind, the user's (KUBECONFIG or ~/.kube/config, never written) for DEVENV_KUBE_CONTEXT.</summary>
    public string Kubeconfig { get; }

    /// <summary>The remote registry's credentials, looked up when asked (none for the local registry).</summary>
    public Func<CancellationToken, Task<RegistryCredentials?>> RegistryCredentials { get; } = _ => Task.FromResult<RegistryCredentials?>(null);

    /// <summary>The environment's settings (DEVENV_*).</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>The verb this AppHost process runs, and its options.</summary>
    public CliOptions Options { get; }

    /// <summary>The one runner of external commands (dotnet, kind, kubectl).</summary>
    public IProcessRunner ProcessRunner { get; }

    /// <summary>The Docker Engine, through Docker.DotNet.</summary>
    public IDockerClient Docker { get; }

    /// <summary>Where <see cref="Docker"/> connects; null when the client was handed in (a test's), so the engine is not identified.</summary>
    public DockerEndpoint? DockerEndpoint { get; }

    /// <summary>Which engine answers and what that means for telemetry and URLs; null when <see cref="DockerEndpoint"/> is.</summary>
    public Func<CancellationToken, Task<ContainerEngine?>> IdentifyEngine => async ct =>
        DockerEndpoint is { } endpoint ? await ContainerEngineDetector.DetectAsync(Docker, endpoint, ct).ConfigureAwait(false) : null;

    /// <summary>The kind CLI.</summary>
    public IKindClient Kind { get; }

    /// <summary>The Kubernetes API through our kubeconfig, its context named explicitly.</summary>
    public IKubernetesClient Kubernetes { get; }

    /// <summary>The registry's HTTP API: the local one on the host side, or DEVENV_REGISTRY.</summary>
    public IOciRegistryClient Registry { get; }

    /// <summary>
    /// The one base-image resolver of the environment: projects build at once, and their common base must be seeded
    /// once (two seeders of one image would each remove the other's temporary push tag).
    /// </summary>
    public Resources.Image.BaseImageResolver BaseImages => _baseImages ??= new(Docker, Settings, Registry);

    /// <summary>The one copier of container images into our registry, for the same reason.</summary>
    public Resources.Image.EngineImageMirror ContainerImages => _containerImages ??= new(Docker, Settings, Registry);

    private Resources.Image.BaseImageResolver? _baseImages;
    private Resources.Image.EngineImageMirror? _containerImages;
}
