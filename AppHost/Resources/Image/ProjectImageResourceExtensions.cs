using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Resources.Registry;

namespace DevEnv.AppHost.Resources.Image;

/// <summary>Adds the app image to an environment.</summary>
public static class ProjectImageResourceExtensions
{
    /// <summary>
    /// Adds the image of <see cref="Configuration.EnvironmentSettings.AppProject"/>, pushed to <paramref name="registry"/>
    /// (which it depends on). A base image only the local Docker Engine has is seeded into that registry (see
    /// <see cref="BaseImageResolver"/>). <paramref name="options"/> defaults to what
    /// <see cref="Configuration.EnvironmentSettings.ImageMode"/> (DEVENV_IMAGE_MODE) says: trimmed unless fast.
    /// </summary>
    public static ProjectImageResource AddProjectImage(this DevEnvironmentBuilder builder, RegistryResource registry, string name = "image", ImageBuildOptions? options = null)
    {
        var docker = builder.GetOrAddService<IDockerClient>(_ => new DockerClient());
        var image = new ProjectImageResource(name, builder.Settings, builder.ProcessRunner, registry.Oci, builder.Time)
        {
            BaseImages = new BaseImageResolver(docker, builder.Settings, registry.Oci),
            Options = options ?? ImageBuildOptions.For(builder.Settings.ImageMode),
        };
        image.DependsOn(registry);
        return builder.AddResource(image);
    }
}
