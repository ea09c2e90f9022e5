namespace DevEnv.Hosting.Resources.Diagnostics;

/// <summary>One pod's app container, as the diagnostics commands reach it.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name (also its resource's name in the dashboard).</param>
/// <param name="Container">The app's container in it (the workload's name): the ephemeral container shares its process namespace.</param>
public sealed record PodTarget(string Namespace, string Pod, string Container);
