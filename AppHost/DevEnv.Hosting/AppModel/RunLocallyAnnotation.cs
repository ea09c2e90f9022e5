using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.AppModel;

/// <summary>The resource runs on this machine under Aspire as usual, not in the cluster (<c>RunLocally()</c>).</summary>
public sealed class RunLocallyAnnotation : IResourceAnnotation;
