using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Resources.Image;

/// <summary>A project's container image as an Aspire resource: published, pushed to the registry, tagged by content.</summary>
/// <param name="name">The resource's name.</param>
/// <param name="image">What publishes and pushes it.</param>
public sealed class ContainerImageResource(string name, ProjectImageResource image) : ReconciledResource<ProjectImageResource>(name, image)
{
    /// <summary>The image's reconciler (publish, push, last good image).</summary>
    public ProjectImageResource Image => Work;
}
