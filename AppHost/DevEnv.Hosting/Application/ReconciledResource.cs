using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Application;

/// <summary>An Aspire custom resource whose work a reconciler does; it can wait for other resources.</summary>
/// <typeparam name="TReconciler">The reconciler's type.</typeparam>
/// <param name="name">The resource's name.</param>
/// <param name="reconciler">What brings it up, reports on it and offers its commands.</param>
public abstract class ReconciledResource<TReconciler>(string name, TReconciler reconciler) : Resource(name), IReconciledResource, IResourceWithWaitSupport
    where TReconciler : Reconciler
{
    /// <summary>The reconciler, typed.</summary>
    public TReconciler Work { get; } = reconciler;

    /// <inheritdoc />
    public Reconciler Reconciler => Work;

    /// <inheritdoc />
    public ResourceContext? Context { get; set; }
}
