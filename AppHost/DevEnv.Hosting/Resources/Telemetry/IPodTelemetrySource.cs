namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>What tells a deployment where its pods send telemetry: the gateway relay, the in-cluster receiver, or the one of them that runs.</summary>
public interface IPodTelemetrySource
{
    /// <summary>Where the pods send telemetry; null until known, or when nothing carries it.</summary>
    PodTelemetry? Current { get; }

    /// <summary>Completes once <see cref="Current"/> is known (a rollout waits for this so its pods get the settings).</summary>
    Task<PodTelemetry?> Settled { get; }
}
