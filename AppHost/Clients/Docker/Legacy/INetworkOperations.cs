namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Networks: inspect, create, connect.</summary>
public interface INetworkOperations
{
    /// <summary>Inspects a network, or null when there is none.</summary>
    Task<NetworkInspect?> TryInspectAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Creates a bridge network with labels; returns its ID.</summary>
    Task<string> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>Connects a container, with extra DNS aliases; connecting twice is not an error.</summary>
    Task ConnectAsync(string network, string container, IReadOnlyList<string>? aliases, CancellationToken cancellationToken);
}
