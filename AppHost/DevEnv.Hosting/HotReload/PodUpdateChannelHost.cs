using System.Net;
using System.Net.Sockets;
using DevEnv.Hosting.Application;
using DevEnv.Hosting.Resources.Telemetry;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// Opens the environment's one Hot Reload channel where the pods can dial it and nothing else can: the kind network's
/// gateway, this host's address on the nodes' network (as the telemetry relay does). Null, with the reason, where that
/// cannot work: a remote cluster (its pods do not reach this host), an engine in a VM (the gateway is inside the VM),
/// no kind network. The key pair lives in the state folder (owner-only), so pods that outlive an AppHost still get in.
/// </summary>
public static class PodUpdateChannelHost
{
    /// <summary>The port tried first: next to the telemetry relay's (18891), so the pods' URL stays the same across runs.</summary>
    public const int Port = 18892;

    /// <summary>The channel and the pods' variables, or null and why Hot Reload cannot reach the pods of this environment.</summary>
    public static async Task<(PodUpdateChannel Channel, PodHotReloadEnvironment Environment)?> OpenAsync(
        DevEnvServices devenv, Action<string> log, CancellationToken cancellationToken)
    {
        var settings = devenv.Settings;
        if (settings.IsRemote)
        {
            log("Hot Reload: off for a remote cluster (its pods cannot reach this machine); every save rebuilds and rolls out");
            return null;
        }

        if (await devenv.IdentifyEngine(cancellationToken).ConfigureAwait(false) is { GatewayRelayWorks: false } engine)
        {
            log($"Hot Reload: off on {engine.DisplayName} (the kind network's gateway is inside its VM, so the pods cannot dial this host); every save rebuilds and rolls out");
            return null;
        }

        if (await KindNetworkGateway.FindAsync(devenv.Docker, settings.KindNetwork, cancellationToken).ConfigureAwait(false) is not { } gateway)
        {
            log($"Hot Reload: off: the Docker network '{settings.KindNetwork}' has no IPv4 gateway on this host for the pods to dial; every save rebuilds and rolls out");
            return null;
        }

        var key = await ChannelKey.LoadOrCreateAsync(Path.Combine(settings.ResolvedStateDirectory, "hotreload-channel.pem"), cancellationToken).ConfigureAwait(false);
        var channel = await ListenAsync(gateway, key, log).ConfigureAwait(false);
        log($"Hot Reload: the pods dial {channel.Endpoint} (the kind network's gateway; a key from the workload's Secret lets them in)");
        return (channel, new PodHotReloadEnvironment(channel, key));
    }

    // The fixed port where it is free; any free one when another environment holds it.
    private static async Task<PodUpdateChannel> ListenAsync(IPAddress address, ChannelKey key, Action<string> log)
    {
        var fixedPort = new PodUpdateChannel(new IPEndPoint(address, Port), key, log);
        try
        {
            fixedPort.Start();
            return fixedPort;
        }
        catch (SocketException)
        {
            await fixedPort.DisposeAsync().ConfigureAwait(false);
        }

        var anyPort = new PodUpdateChannel(new IPEndPoint(address, 0), key, log);
        anyPort.Start();
        return anyPort;
    }
}
