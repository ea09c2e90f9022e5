using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.AppModel;

/// <summary>Marks DevEnv's own resources (the registry container): never deployed to the cluster as a workload.</summary>
public sealed class DevEnvOwnedAnnotation : IResourceAnnotation;
