using System.Collections.Concurrent;
using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Resources.Deployment;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// What a pod needs to take Hot Reload updates, as workload variables: the runtime in its modifiable mode, the SDK's
/// agent as a startup hook, the channel's URL for this workload and image, and the channel's public key (a secret
/// variable, so it goes into the workload's Secret and the pod reads it through <c>secretKeyRef</c>). Only images
/// built from dotnet-watch's build carry the agent, so only those get the variables: any other image (the trimmed one
/// on demand, a rebuild from the image resource's command) runs as it would without Hot Reload.
/// </summary>
public sealed class PodHotReloadEnvironment(PodUpdateChannel channel, ChannelKey key)
{
    /// <summary>The variable the SDK's agent reads the channel's URL from.</summary>
    public const string EndpointVariable = "DOTNET_WATCH_HOTRELOAD_WEBSOCKET_ENDPOINT";

    /// <summary>The variable the SDK's agent reads the channel's public key from.</summary>
    public const string KeyVariable = "DOTNET_WATCH_HOTRELOAD_WEBSOCKET_KEY";

    private readonly ConcurrentDictionary<string, byte> _agentImages = new(StringComparer.Ordinal);

    /// <summary>The image with content tag <paramref name="tag"/> carries the agent (it was built from dotnet-watch's build).</summary>
    public void AddAgentImage(string tag) => _agentImages[tag] = 0;

    /// <summary>The Hot Reload variables of <paramref name="workload"/> running <paramref name="image"/>; none unless the image carries the agent.</summary>
    public IReadOnlyList<WorkloadVariable> For(string workload, string image)
    {
        var tag = ImageReference.Split(image).Reference;
        return !_agentImages.ContainsKey(tag) ? [] :
        [
            // Lets the runtime apply metadata updates to the app's assemblies (the Debug build dotnet-watch made).
            new("DOTNET_MODIFIABLE_ASSEMBLIES", "debug"),
            // Every .NET process of the pod loads it, the exec pre-stop (the app's binary again) too: that one connects, gets
            // the replay and leaves with the drain, and the channel drops it once its connection closes.
            new("DOTNET_STARTUP_HOOKS", DeltaApplierFile.PathInImage),
            // The pod dials out; it listens on nothing new, so nothing that reaches it through its Service sends it code.
            new(EndpointVariable, channel.UrlFor(workload, tag)),
            new(KeyVariable, key.PublicKey, IsSecret: true),
        ];
    }
}
