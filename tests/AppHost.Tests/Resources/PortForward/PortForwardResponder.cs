using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DevEnv.AppHost.Tests.Resources.PortForward;

/// <summary>
/// What the API server and kubelet do with a pods/portforward upgrade (v4.channel.k8s.io): each channel's first
/// message names the port, channel 0 carries the connection's bytes to a real process on loopback and back, and a
/// refused connection is said on channel 1 before the close, in the kubelet's words.
/// </summary>
internal static class PortForwardResponder
{
    /// <summary>Forwards the upgraded request to 127.0.0.1:<paramref name="appPort"/> as port <paramref name="podPort"/>.</summary>
    public static Func<HttpContext, Task> To(int appPort, int podPort) => async context =>
    {
        Assert.True(context.WebSockets.IsWebSocketRequest, "the port-forward request was not a WebSocket upgrade");
        Assert.Contains("v4.channel.k8s.io", context.WebSockets.WebSocketRequestedProtocols);
        using var socket = await context.WebSockets.AcceptWebSocketAsync("v4.channel.k8s.io");
        byte[] port = [(byte)(podPort & 0xff), (byte)(podPort >> 8)];
        await socket.SendAsync(new byte[] { 0, port[0], port[1] }, WebSocketMessageType.Binary, true, context.RequestAborted);
        await socket.SendAsync(new byte[] { 1, port[0], port[1] }, WebSocketMessageType.Binary, true, context.RequestAborted);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", appPort, context.RequestAborted);
        }
        catch (SocketException ex)
        {
            var error = Encoding.UTF8.GetBytes($"an error occurred forwarding {podPort} -> {podPort}: error forwarding port {podPort} to pod: dial tcp4 127.0.0.1:{podPort}: connect: {ex.SocketErrorCode}");
            await socket.SendAsync((byte[])[1, .. error], WebSocketMessageType.Binary, true, context.RequestAborted);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
            return;
        }

        var stream = tcp.GetStream();
        var toPod = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                // Every message from the client starts with its channel (0: data).
                Assert.Equal(0, buffer[0]);
                await stream.WriteAsync(buffer.AsMemory(1, received.Count - 1), context.RequestAborted);
            }
        });
        var fromPod = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(1), context.RequestAborted)) > 0)
            {
                buffer[0] = 0;
                await socket.SendAsync(buffer.AsMemory(0, n + 1), WebSocketMessageType.Binary, true, context.RequestAborted);
            }

            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
        });
        await Task.WhenAny(toPod, fromPod);
    };
}
