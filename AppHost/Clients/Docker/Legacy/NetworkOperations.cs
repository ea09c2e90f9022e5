using System.Net;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>Networks over <see cref="DockerTransport"/>.</summary>
internal sealed class NetworkOperations(DockerTransport transport) : INetworkOperations
{
    public async Task<NetworkInspect?> TryInspectAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await transport.GetJsonAsync<NetworkInspect>(HttpMethod.Get, $"networks/{Uri.EscapeDataString(idOrName)}", $"inspect network {idOrName}", null, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerNotFoundException)
        {
            return null;
        }
    }

    public async Task<string> CreateAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var body = new { Name = name, Driver = "bridge", CheckDuplicate = true, Labels = labels };
        var created = await transport.GetJsonAsync<CreatedResponse>(HttpMethod.Post, "networks/create", $"create network {name}", body, cancellationToken).ConfigureAwait(false);
        return created.Id;
    }

    public async Task ConnectAsync(string network, string container, IReadOnlyList<string>? aliases, CancellationToken cancellationToken)
    {
        var body = new { Container = container, EndpointConfig = new { Aliases = aliases } };
        try
        {
            await transport.SendAndForgetAsync(HttpMethod.Post, $"networks/{Uri.EscapeDataString(network)}/connect", $"connect {container} to network {network}", body, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict or HttpStatusCode.InternalServerError
                                             && ex.DaemonMessage.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            // Already connected: connecting is idempotent for us.
        }
    }

    private sealed record CreatedResponse(string Id);
}
