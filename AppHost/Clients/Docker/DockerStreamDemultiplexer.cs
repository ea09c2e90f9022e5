using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace DevEnv.AppHost.Clients.Docker;

/// <summary>
/// Decodes the log stream of a container without a TTY, in the one place that does it: every frame has an
/// 8-byte header (stream type: 1 stdout, 2 stderr; three zero bytes; big-endian payload length) and then the
/// payload. Frames do not align with lines, so each stream keeps its own partial line until the newline arrives.
/// </summary>
public static class DockerStreamDemultiplexer
{
    /// <summary>Yields complete lines from a multiplexed stream (or, when <paramref name="raw"/>, a TTY stream).</summary>
    public static async IAsyncEnumerable<LogFrame> ReadLinesAsync(Stream stream, bool raw, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partial = new[] { new StringBuilder(), new StringBuilder() };
        var header = new byte[8];
        var decoder = new[] { Encoding.UTF8.GetDecoder(), Encoding.UTF8.GetDecoder() };
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int streamIndex;
            int length;
            if (raw)
            {
                streamIndex = 0;
                length = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (length == 0)
                {
                    break;
                }

                Append(0, buffer, length);
            }
            else
            {
                if (!await ReadExactlyOrEndAsync(stream, header, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                streamIndex = header[0] == 2 ? 1 : 0;
                length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                var payload = length <= buffer.Length ? buffer : new byte[length];
                if (!await ReadExactlyOrEndAsync(stream, payload.AsMemory(0, length), cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                Append(streamIndex, payload, length);
            }

            foreach (var line in TakeLines(streamIndex))
            {
                yield return line;
            }
        }

        for (var i = 0; i < 2; i++)
        {
            if (partial[i].Length > 0)
            {
                yield return new LogFrame(i == 1, partial[i].ToString().TrimEnd('\r'));
            }
        }

        void Append(int index, byte[] bytes, int count)
        {
            var chars = new char[decoder[index].GetCharCount(bytes, 0, count)];
            decoder[index].GetChars(bytes, 0, count, chars, 0);
            partial[index].Append(chars);
        }

        IEnumerable<LogFrame> TakeLines(int index)
        {
            var text = partial[index].ToString();
            var last = text.LastIndexOf('\n');
            if (last < 0)
            {
                return [];
            }

            partial[index].Clear().Append(text, last + 1, text.Length - last - 1);
            return text[..last].Split('\n').Select(l => new LogFrame(index == 1, l.TrimEnd('\r'))).ToArray();
        }
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, Memory<byte> target, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < target.Length)
        {
            var n = await stream.ReadAsync(target[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
