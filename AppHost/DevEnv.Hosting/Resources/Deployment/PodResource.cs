using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// One pod of a deployment, shown as a child resource in the dashboard. Pods come and go with rollouts, so these
/// are published through the notification service as they appear rather than declared in the model.
/// </summary>
/// <param name="name">The pod's name.</param>
/// <param name="deployment">The deployment resource it belongs to.</param>
public sealed class PodResource(string name, IResource deployment) : Resource(name)
{
    /// <summary>The deployment resource it belongs to.</summary>
    public IResource Deployment { get; } = deployment;
}
