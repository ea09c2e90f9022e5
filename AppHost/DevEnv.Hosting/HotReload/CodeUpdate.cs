namespace DevEnv.Hosting.HotReload;

/// <summary>
/// One batch of Hot Reload deltas as dotnet-watch sends it (a ManagedCodeUpdate request, version 4): per changed module
/// its ID (the baseline assembly's MVID, so it applies only to the exact build the pods run), metadata/IL/PDB deltas and
/// the updated type tokens. <see cref="Message"/> is the request re-encoded as one message (type byte first), sent as is
/// to every pod and replayed to a pod that connects later.
/// </summary>
public sealed class CodeUpdate
{
    private const byte Version = 4;

    private CodeUpdate(byte[] message, IReadOnlyList<Guid> modules, long deltaBytes)
    {
        Message = message;
        Modules = modules;
        DeltaBytes = deltaBytes;
    }

    /// <summary>The whole request, type byte first.</summary>
    public byte[] Message { get; }

    /// <summary>The modules it changes.</summary>
    public IReadOnlyList<Guid> Modules { get; }

    /// <summary>The size of the deltas (metadata + IL + PDB).</summary>
    public long DeltaBytes { get; }

    /// <summary>Reads a request's payload (after its type byte) from <paramref name="stream"/>.</summary>
    public static async Task<CodeUpdate> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var version = await AgentWire.ReadByteAsync(stream, cancellationToken).ConfigureAwait(false);
        if (version != Version)
        {
            throw new NotSupportedException(
                $"dotnet-watch sent a Hot Reload update of version {version}; DevEnv speaks version {Version} (the .NET 10 SDK's). " +
                "Use the .NET 10 SDK, or set DEVENV_HOT_RELOAD=false to rebuild on every save.");
        }

        var count = await AgentWire.ReadInt32Async(stream, cancellationToken).ConfigureAwait(false);
        using var message = new MemoryStream();
        message.WriteByte(AgentMessageType.ManagedCodeUpdate);
        message.WriteByte(Version);
        AgentWire.WriteInt32(message, count);
        var modules = new List<Guid>(count);
        long deltaBytes = 0;
        for (var i = 0; i < count; i++)
        {
            var module = await AgentWire.ReadGuidAsync(stream, cancellationToken).ConfigureAwait(false);
            var metadata = await AgentWire.ReadByteArrayAsync(stream, cancellationToken).ConfigureAwait(false);
            var il = await AgentWire.ReadByteArrayAsync(stream, cancellationToken).ConfigureAwait(false);
            var pdb = await AgentWire.ReadByteArrayAsync(stream, cancellationToken).ConfigureAwait(false);
            var types = await AgentWire.ReadIntArrayAsync(stream, cancellationToken).ConfigureAwait(false);
            message.Write(module.ToByteArray());
            AgentWire.WriteByteArray(message, metadata);
            AgentWire.WriteByteArray(message, il);
            AgentWire.WriteByteArray(message, pdb);
            AgentWire.WriteIntArray(message, types);
            modules.Add(module);
            deltaBytes += metadata.Length + il.Length + pdb.Length;
        }

        // The logging level the client asked for; the pods' log lines come back in each UpdateResponse.
        message.WriteByte(await AgentWire.ReadByteAsync(stream, cancellationToken).ConfigureAwait(false));
        return new CodeUpdate(message.ToArray(), modules, deltaBytes);
    }
}
