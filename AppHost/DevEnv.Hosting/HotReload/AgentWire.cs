using System.Buffers.Binary;
using System.Text;

namespace DevEnv.Hosting.HotReload;

/// <summary>
/// The encoding of the messages between dotnet-watch and the SDK's Hot Reload agent (Microsoft.Extensions.DotNetDeltaApplier,
/// the startup hook in each pod): little-endian int32s, 16-byte GUIDs, length-prefixed byte and int arrays, UTF-8 strings
/// with a 7-bit encoded length. The SDK's own reader and writer are internal to dotnet-watch and the agent, and no served
/// package carries them, so this is written by hand from the format (SDK 10.0.1xx-4xx, ManagedCodeUpdateRequest version 4).
/// </summary>
public static class AgentWire
{
    /// <summary>Reads exactly <paramref name="count"/> bytes (a closed stream mid-message is an <see cref="EndOfStreamException"/>).</summary>
    public static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    /// <summary>One byte.</summary>
    public static async Task<byte> ReadByteAsync(Stream stream, CancellationToken cancellationToken) =>
        (await ReadExactlyAsync(stream, 1, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>A little-endian int32.</summary>
    public static async Task<int> ReadInt32Async(Stream stream, CancellationToken cancellationToken) =>
        BinaryPrimitives.ReadInt32LittleEndian(await ReadExactlyAsync(stream, 4, cancellationToken).ConfigureAwait(false));

    /// <summary>A GUID in its 16-byte form.</summary>
    public static async Task<Guid> ReadGuidAsync(Stream stream, CancellationToken cancellationToken) =>
        new(await ReadExactlyAsync(stream, 16, cancellationToken).ConfigureAwait(false));

    /// <summary>An int32 length, then that many bytes.</summary>
    public static async Task<byte[]> ReadByteArrayAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = await ReadInt32Async(stream, cancellationToken).ConfigureAwait(false);
        return length < 0 ? throw new InvalidDataException($"negative array length {length}") : await ReadExactlyAsync(stream, length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An int32 count, then that many int32s.</summary>
    public static async Task<int[]> ReadIntArrayAsync(Stream stream, CancellationToken cancellationToken)
    {
        var count = await ReadInt32Async(stream, cancellationToken).ConfigureAwait(false);
        if (count < 0)
        {
            throw new InvalidDataException($"negative array length {count}");
        }

        var bytes = await ReadExactlyAsync(stream, count * 4, cancellationToken).ConfigureAwait(false);
        return [.. Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4)))];
    }

    /// <summary>A 7-bit encoded byte length, then UTF-8.</summary>
    public static async Task<string> ReadStringAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28)
            {
                throw new InvalidDataException("string length too long");
            }

            var b = await ReadByteAsync(stream, cancellationToken).ConfigureAwait(false);
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return Encoding.UTF8.GetString(await ReadExactlyAsync(stream, length, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Writes an int32, little-endian.</summary>
    public static void WriteInt32(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    /// <summary>Writes a length-prefixed byte array.</summary>
    public static void WriteByteArray(Stream stream, byte[] value)
    {
        WriteInt32(stream, value.Length);
        stream.Write(value);
    }

    /// <summary>Writes a count-prefixed int32 array.</summary>
    public static void WriteIntArray(Stream stream, int[] value)
    {
        WriteInt32(stream, value.Length);
        foreach (var item in value)
        {
            WriteInt32(stream, item);
        }
    }

    /// <summary>Writes a 7-bit length-prefixed UTF-8 string.</summary>
    public static void WriteString(Stream stream, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var length = (uint)bytes.Length;
        while (length >= 0x80)
        {
            stream.WriteByte((byte)(length | 0x80));
            length >>= 7;
        }

        stream.WriteByte((byte)length);
        stream.Write(bytes);
    }
}
