using System.Net;
using System.Net.Sockets;

namespace DevEnv.Hosting.Cli;

/// <summary>Checks whether a host port can be bound, so a conflict is reported by port number before Docker fails vaguely.</summary>
public static class PortProbe
{
    /// <summary>True when nothing listens on <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static bool IsFree(string address, int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Parse(address), port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The message for a taken port.</summary>
    public static string TakenMessage(string what, string address, int port, string setting) =>
        $"Port {port} on {address} is already in use by another process, so the {what} cannot be published there. "
        + $"Stop that process (`ss -ltnp 'sport = :{port}'` or `lsof -i :{port}` shows which) or choose another port with {setting}.";
}
