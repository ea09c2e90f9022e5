using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Application;

/// <summary>An Aspire resource of ours whose work is done by a <see cref="Model.Reconciler"/>.</summary>
public interface IReconciledResource : IResource
{
    /// <summary>What brings the resource up, reports on it and offers its commands.</summary>
    Reconciler Reconciler { get; }

    /// <summary>Where it reports, once Aspire initialized the resource (null before).</summary>
    ResourceContext? Context { get; set; }
}
