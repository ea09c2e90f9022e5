using System.Net.WebSockets;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// One pod's Hot Reload agent connected to the channel: updates go out one at a time, each answered by an
/// UpdateResponse; a notification that the runtime met code an update could not carry is passed on.
/// </summary>
public sealed class PodAgent
{
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private TaskCompletionSource<AgentReply>? _pending;

    internal PodAgent(WebSocket socket, string workload, string baseline, string address, string capabilities)
    {
        _socket = socket;
        Workload = workload;
        Baseline = baseline;
        Address = address;
        Capabilities = capabilities;
    }

    /// <summary>The workload (Deployment) the pod belongs to.</summary>
    public string Workload { get; }

    /// <summary>The image tag the pod runs: updates apply only to the build they were made against.</summary>
    public string Baseline { get; }

    /// <summary>The pod's address as the channel saw it (the pod IP in a cluster).</summary>
    public string Address { get; }

    /// <summary>The runtime's update capabilities, as the agent reported them.</summary>
    public string Capabilities { get; }

    /// <summary>Set when the runtime in the pod reports an edit it could not carry (the app has stopped serving new code).</summary>
    public string? RuntimeRudeEdit { get; private set; }

    /// <summary>Completes when the connection ends.</summary>
    public Task Closed { get; private set; } = Task.CompletedTask;

    internal void StartReceiving(Action<PodAgent, string> onRudeEdit) => Closed = ReceiveAsync(onRudeEdit);

    /// <summary>Sends <paramref name="message"/> (an update, type byte first) and waits for the agent's answer.</summary>
    public async Task<AgentReply> SendAsync(byte[] message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = new TaskCompletionSource<AgentReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending = pending;
            await _socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            return await pending.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending = null;
            _oneAtATime.Release();
        }
    }

    /// <summary>Tells the agent the replay is over, so the app's start goes on.</summary>
    public Task CompleteInitialUpdatesAsync(CancellationToken cancellationToken) =>
        _socket.SendAsync(new ArraySegment<byte>([AgentMessageType.InitialUpdatesCompleted]), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);

    /// <summary>Closes the connection (the AppHost is stopping).</summary>
    public void Abort() => _socket.Abort();

    /// <summary>Reads one whole message; null when the connection closed.</summary>
    internal static async Task<MemoryStream?> ReadMessageAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        message.Position = 0;
        return message;
    }

    private async Task ReceiveAsync(Action<PodAgent, string> onRudeEdit)
    {
        try
        {
            while (await ReadMessageAsync(_socket, CancellationToken.None).ConfigureAwait(false) is { } message)
            {
                switch (message.ReadByte())
                {
                    case AgentMessageType.UpdateResponse:
                        _pending?.TrySetResult(await AgentReply.ReadAsync(message, CancellationToken.None).ConfigureAwait(false));
                        break;
                    case AgentMessageType.HotReloadExceptionNotification:
                        var code = await AgentWire.ReadInt32Async(message, CancellationToken.None).ConfigureAwait(false);
                        RuntimeRudeEdit = $"{await AgentWire.ReadStringAsync(message, CancellationToken.None).ConfigureAwait(false)} (code {code})";
                        onRudeEdit(this, RuntimeRudeEdit);
                        break;
                    case var other:
                        throw new InvalidDataException($"unexpected message type {other} from the agent at {Address}");
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidDataException or EndOfStreamException or ObjectDisposedException)
        {
            // The pod went away (terminated, restarted) or spoke out of turn: its connection ends, the others go on.
        }
        finally
        {
            _pending?.TrySetException(new WebSocketException($"the agent at {Address} disconnected"));
            _socket.Dispose();
        }
    }
}
