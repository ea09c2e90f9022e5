using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Model;
using Docker.DotNet;

namespace DevEnv.Hosting.Resources.Cluster;

/// <content>Which Docker Engine product the cluster's nodes run on, shown on the resource and by <c>status</c>.</content>
public sealed partial class ClusterResource
{
    /// <summary>Identifies the engine (null: not identified, as when a test hands in its own client).</summary>
    public Func<CancellationToken, Task<ContainerEngine?>>? IdentifyEngine { get; init; }

    /// <summary>The engine found by the last start or status; null before, or when it was not identified.</summary>
    public ContainerEngine? Engine { get; private set; }

    // Shown before anything else is asked: what the engine means for telemetry and URLs holds whether or not the cluster exists.
    // An engine that does not answer is left to the steps that need it, which say so with what to do.
    private async Task ShowEngineAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (IdentifyEngine is null)
        {
            return;
        }

        try
        {
            Engine = await IdentifyEngine(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DockerUnavailableException or DockerApiException)
        {
            return;
        }

        if (Engine is { } engine)
        {
            context.Update(s => s.WithProperty(ContainerEngine.Property, engine.Summary));
        }
    }
}
