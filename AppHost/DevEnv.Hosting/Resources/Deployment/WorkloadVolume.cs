namespace DevEnv.Hosting.Resources.Deployment;

/// <summary>
/// A named data volume of a workload (Aspire's <c>WithDataVolume</c>, <c>WithVolume</c>): a PersistentVolumeClaim
/// mounted at <paramref name="MountPath"/>. A workload with one runs as a one-replica StatefulSet.
/// </summary>
/// <param name="Name">The claim's name (the resource's name and the volume's, as Kubernetes names allow).</param>
/// <param name="MountPath">Where the container sees it.</param>
/// <param name="ReadOnly">Mounted read-only.</param>
public sealed record WorkloadVolume(string Name, string MountPath, bool ReadOnly = false);
