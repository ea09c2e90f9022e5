namespace DevEnv.Hosting.HotReload;

/// <summary>What one agent answered to an update: applied or not, and its log lines (message and severity 0-2).</summary>
public sealed record AgentReply(bool Applied, IReadOnlyList<(string Message, byte Severity)> Log)
{
    /// <summary>Reads an UpdateResponse's payload (after its type byte).</summary>
    public static async Task<AgentReply> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var applied = await AgentWire.ReadByteAsync(stream, cancellationToken).ConfigureAwait(false) != 0;
        var count = await AgentWire.ReadInt32Async(stream, cancellationToken).ConfigureAwait(false);
        var log = new List<(string, byte)>(count);
        for (var i = 0; i < count; i++)
        {
            log.Add((await AgentWire.ReadStringAsync(stream, cancellationToken).ConfigureAwait(false),
                await AgentWire.ReadByteAsync(stream, cancellationToken).ConfigureAwait(false)));
        }

        return new AgentReply(applied, log);
    }

    /// <summary>This reply as an UpdateResponse message, type byte first.</summary>
    public byte[] ToMessage()
    {
        using var message = new MemoryStream();
        message.WriteByte(AgentMessageType.UpdateResponse);
        message.WriteByte(Applied ? (byte)1 : (byte)0);
        AgentWire.WriteInt32(message, Log.Count);
        foreach (var (text, severity) in Log)
        {
            AgentWire.WriteString(message, text);
            message.WriteByte(severity);
        }

        return message.ToArray();
    }
}
