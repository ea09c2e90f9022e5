using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Resources.Registry;

namespace DevEnv.AppHost.Resources.Image;

/// <summary>Adds the app image to an environment.</summary>
public static class ProjectImageResourceExtensions
{
    /// <summary>
    /// Adds the image of <see cref="Configuration.EnvironmentSettings.AppProject"/>, pushed to <paramref name="registry"/>
    /// (which it depends on). <paramref name="options"/> defaults to the self-contained trimmed shape.
    /// </summary>
    public static ProjectImageResource AddProjectImage(this DevEnvironmentBuilder builder, RegistryResource registry, string name = "image", ImageBuildOptions? options = null)
    {
        var image = new ProjectImageResource(name, builder.Settings, builder.ProcessRunner, registry.Oci, builder.Time)
        {
            Options = options ?? ImageBuildOptions.Default,
        };
        image.DependsOn(registry);
        return builder.AddResource(image);
    }
}
