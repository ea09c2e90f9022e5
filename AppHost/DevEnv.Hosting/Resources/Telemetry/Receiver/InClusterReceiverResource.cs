using DevEnv.Hosting.Application;

namespace DevEnv.Hosting.Resources.Telemetry.Receiver;

/// <summary>The in-cluster telemetry receiver and the AppHost's reading of it; a child of the cluster or remote target.</summary>
/// <param name="name">The resource's name.</param>
/// <param name="receiver">What deploys the receiver and reads it.</param>
public sealed class InClusterReceiverResource(string name, InClusterReceiver receiver) : ReconciledResource<InClusterReceiver>(name, receiver)
{
    /// <summary>The receiver's reconciler.</summary>
    public InClusterReceiver Receiver => Work;
}
