using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>The relay that carries the pods' telemetry to the Aspire dashboard; a child of the cluster.</summary>
/// <param name="name">The resource's name.</param>
/// <param name="relay">What finds the address, listens and writes the Secret.</param>
public sealed class TelemetryRelayResource(string name, PodTelemetryRelay relay) : ReconciledResource<PodTelemetryRelay>(name, relay)
{
    /// <summary>The relay's reconciler.</summary>
    public PodTelemetryRelay Relay => Work;
}
