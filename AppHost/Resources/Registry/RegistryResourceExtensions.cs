using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Orchestration;

namespace DevEnv.AppHost.Resources.Registry;

/// <summary>Adds the registry to an environment.</summary>
public static class RegistryResourceExtensions
{
    /// <summary>
    /// Adds the local registry container, using the shared Docker client (created on first use from
    /// DOCKER_HOST / the docker context / the default socket).
    /// </summary>
    public static RegistryResource AddRegistry(this DevEnvironmentBuilder builder, string name = "registry")
    {
        var docker = builder.GetOrAddService<IDockerClient>(_ => new DockerClient());
        return builder.AddResource(new RegistryResource(name, builder.Settings, docker, builder.Time));
    }
}
