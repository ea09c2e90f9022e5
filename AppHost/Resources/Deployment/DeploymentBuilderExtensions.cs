using DevEnv.AppHost.Model;
using DevEnv.AppHost.Orchestration;
using DevEnv.AppHost.Resources.Cluster;
using DevEnv.AppHost.Resources.Image;

namespace DevEnv.AppHost.Resources.Deployment;

/// <summary>Adds SampleApi's Deployment to an environment.</summary>
public static class DeploymentBuilderExtensions
{
    /// <summary>Snapshot property of the image resource holding the full reference, e.g. localhost:5001/sampleapi:&lt;tag&gt;.</summary>
    public const string ImageProperty = "image";

    /// <summary>Snapshot property of the image resource holding the content tag.</summary>
    public const string TagProperty = "tag";

    /// <summary>
    /// Adds the Deployment, reading the image to run from <paramref name="image"/>'s snapshot property "image" and
    /// the revision from its "tag"; depends on the image and the cluster.
    /// </summary>
    public static DeploymentResource AddSampleApiDeployment(this DevEnvironmentBuilder builder, Resource image, ClusterResource cluster, string resourceName = DeploymentResource.SampleApiName)
    {
        var notifications = builder.Notifications;
        var settings = builder.Settings;
        var kubernetes = builder.GetOrAddService(ClusterBuilderExtensions.KubernetesFor);
        var deployment = builder.AddResource(new DeploymentResource(
            resourceName,
            settings,
            kubernetes,
            () => Property(notifications, image.Name, ImageProperty),
            () => Property(notifications, image.Name, TagProperty) ?? PlannedTag(image))
        {
            PlannedImage = () => PlannedTag(image) is { } tag ? $"{settings.RegistryHostAddress}/{settings.ImageRepository}:{tag}" : null,
            Monitor = true,
            Time = builder.Time,
        });
        deployment.DependsOn(image);
        deployment.DependsOn(cluster);
        return deployment;
    }

    /// <summary>Adds the Deployment with the image and revision supplied by functions (tests, other pipelines).</summary>
    public static DeploymentResource AddSampleApiDeployment(this DevEnvironmentBuilder builder, ClusterResource cluster, Func<string?> image, Func<string?> revision, string resourceName = DeploymentResource.SampleApiName)
    {
        var kubernetes = builder.GetOrAddService(ClusterBuilderExtensions.KubernetesFor);
        var deployment = builder.AddResource(new DeploymentResource(resourceName, builder.Settings, kubernetes, image, revision));
        deployment.DependsOn(cluster);
        return deployment;
    }

    // The content tag the image resource would build now; null for other image resources or unreadable sources.
    private static string? PlannedTag(Resource image)
    {
        try
        {
            return (image as ProjectImageResource)?.ComputeTag();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Property(ResourceNotificationService notifications, string resource, string key) =>
        notifications.GetAll().FirstOrDefault(s => s.Name == resource) is { } snapshot && snapshot.Properties.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : null;
}
