using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Cluster;

namespace DevEnv.Hosting.Resources.Telemetry;

/// <summary>Carries the pods' telemetry of a kind cluster to the Aspire dashboard.</summary>
public static class TelemetryBuilderExtensions
{
    /// <summary>
    /// The cluster's telemetry relay (<c>&lt;cluster&gt;-telemetry</c>, shown under the cluster), added on first use:
    /// every deployment to the cluster shares it.
    /// </summary>
    public static IResourceBuilder<TelemetryRelayResource> GetOrAddPodTelemetry(this IResourceBuilder<KindClusterResource> cluster, Func<CancellationToken, Task<string?>>? standDown = null)
    {
        var builder = cluster.ApplicationBuilder;
        var name = cluster.Resource.Name + "-telemetry";
        if (builder.Resources.OfType<TelemetryRelayResource>().FirstOrDefault(r => r.Name == name) is { } existing)
        {
            return builder.CreateResourceBuilder(existing);
        }

        var devenv = builder.DevEnv();
        var relay = new PodTelemetryRelay(name, devenv.Settings, DashboardOtlpTarget.From(builder.Configuration),
            ct => KindNetworkGateway.FindAsync(devenv.Docker, KindNetworkGateway.NetworkName, ct), devenv.Kubernetes)
        {
            IdentifyEngine = devenv.IdentifyEngine,
            StandDown = standDown,
        };
        return builder.AddResource(new TelemetryRelayResource(name, relay))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "TelemetryRelay",
                State = KnownResourceStates.NotStarted,
                Properties = [new("port", PodTelemetryRelay.Port)],
            })
            .WithParentRelationship(cluster)
            .WaitFor(cluster)
            .WithReconciler([], autoStart: () => devenv.Options.Verb != "build");
    }
}
