using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.AppModel;

/// <summary>
/// Which resources of the app model run in the cluster: every project and container, unless it runs locally
/// (<c>RunLocally()</c>), is bound to another compute environment, is left out of the deployment manifest by its
/// integration (<c>ExcludeFromManifest</c>: dev-time tools such as Redis Commander) or is DevEnv's own.
/// </summary>
public static class ClusterPlacement
{
    /// <summary>Whether <paramref name="resource"/> is deployed to <paramref name="environment"/>.</summary>
    public static bool RunsIn(IResource resource, IComputeEnvironmentResource environment)
    {
        if (resource is not (ProjectResource or ContainerResource) || resource is IComputeEnvironmentResource)
        {
            return false;
        }

        if (resource.Annotations.OfType<RunLocallyAnnotation>().Any() || resource.Annotations.OfType<DevEnvOwnedAnnotation>().Any()
            || resource.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Any(a => a.Callback is null))
        {
            return false;
        }

        return resource.GetComputeEnvironment() is not { } bound || ReferenceEquals(bound, environment);
    }

    /// <summary>The resources of the model that run in <paramref name="environment"/>, in model order.</summary>
    public static IReadOnlyList<IResource> Workloads(IEnumerable<IResource> model, IComputeEnvironmentResource environment) =>
        [.. model.Where(r => RunsIn(r, environment))];
}
