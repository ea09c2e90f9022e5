using System.Buffers.Binary;
using System.Text;

namespace DevEnv.TelemetryReceiver.Protocol;

/// <summary>
/// The body of a read: the entries back to back, each as sequence (int64, big-endian), signal (1 byte), content type and
/// content encoding (1-byte length, ASCII), body (int32 length, big-endian, then the bytes). Binary because the bodies
/// are protobuf: no re-encoding on either side, and the AppHost posts each body to the dashboard as it came.
/// </summary>
internal static class BatchFormat
{
    /// <summary>Writes the entries to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, IEnumerable<BatchEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            var contentType = Encoding.ASCII.GetBytes(entry.ContentType);
            var encoding = Encoding.ASCII.GetBytes(entry.ContentEncoding);
            var header = new byte[8 + 1 + 1 + contentType.Length + 1 + encoding.Length + 4];
            BinaryPrimitives.WriteInt64BigEndian(header, entry.Sequence);
            header[8] = (byte)entry.Signal;
            header[9] = checked((byte)contentType.Length);
            contentType.CopyTo(header, 10);
            header[10 + contentType.Length] = checked((byte)encoding.Length);
            encoding.CopyTo(header, 11 + contentType.Length);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(header.Length - 4), entry.Body.Length);
            await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(entry.Body, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads every entry of a read's body; a truncated body is an <see cref="InvalidDataException"/>.</summary>
    public static async Task<IReadOnlyList<BatchEntry>> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        var entries = new List<BatchEntry>();
        var fixedPart = new byte[10];
        while (await FillAsync(input, fixedPart, allowEnd: true, cancellationToken).ConfigureAwait(false))
        {
            var sequence = BinaryPrimitives.ReadInt64BigEndian(fixedPart);
            var signal = (TelemetrySignal)fixedPart[8];
            var contentType = await ReadAsciiAsync(input, fixedPart[9], cancellationToken).ConfigureAwait(false);
            var encodingLength = new byte[1];
            await FillAsync(input, encodingLength, allowEnd: false, cancellationToken).ConfigureAwait(false);
            var encoding = await ReadAsciiAsync(input, encodingLength[0], cancellationToken).ConfigureAwait(false);
            var length = new byte[4];
            await FillAsync(input, length, allowEnd: false, cancellationToken).ConfigureAwait(false);
            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(length)];
            await FillAsync(input, body, allowEnd: false, cancellationToken).ConfigureAwait(false);
            entries.Add(new BatchEntry(sequence, signal, contentType, encoding, body));
        }

        return entries;
    }

    private static async Task<string> ReadAsciiAsync(Stream input, int length, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        await FillAsync(input, bytes, allowEnd: false, cancellationToken).ConfigureAwait(false);
        return Encoding.ASCII.GetString(bytes);
    }

    // False at a clean end before the first byte (when allowed); a body that stops inside an entry is broken.
    private static async Task<bool> FillAsync(Stream input, byte[] buffer, bool allowEnd, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return read == 0 && allowEnd ? false : throw new InvalidDataException("the receiver's batch ended inside an entry");
            }

            read += n;
        }

        return true;
    }
}
