namespace DevEnv.Rollout.Tests.Harness;

/// <summary>What the built SampleApi image serves, probed once from a throw-away container.</summary>
/// <param name="ReadinessStatus">HTTP status of the readiness path on a fresh container.</param>
public sealed record ImageCapabilities(int ReadinessStatus)
{
    /// <summary>True when the readiness endpoint exists (a 404 means the app has no probes yet).</summary>
    public bool HasReadiness => ReadinessStatus is not 404 and not 0;
}
