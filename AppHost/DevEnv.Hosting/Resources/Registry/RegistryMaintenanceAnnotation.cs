using Aspire.Hosting.ApplicationModel;

namespace DevEnv.Hosting.Resources.Registry;

/// <summary>Links the registry container resource to what labels, probes and removes it outside of DCP.</summary>
/// <param name="Registry">The registry's maintenance.</param>
public sealed record RegistryMaintenanceAnnotation(RegistryResource Registry) : IResourceAnnotation;
