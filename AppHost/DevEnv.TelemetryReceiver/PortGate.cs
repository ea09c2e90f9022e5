using Microsoft.AspNetCore.Http;

namespace DevEnv.TelemetryReceiver;

/// <summary>
/// Serves a path on one of the receiver's two ports only, by the port the connection came in on. Not by the Host header
/// (RequireHost): through the API server's port-forward the Host names the AppHost's local port, not the pod's.
/// </summary>
internal static class PortGate
{
    /// <summary><paramref name="handler"/> for connections to <paramref name="port"/>; 404 on the other port.</summary>
    public static RequestDelegate Only(int port, RequestDelegate handler) => context =>
    {
        if (context.Connection.LocalPort != port)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return handler(context);
    };
}
