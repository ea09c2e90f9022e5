using System.Buffers.Binary;
using System.Text;
using DevEnv.AppHost.Clients.Docker;

namespace DevEnv.AppHost.Tests.Clients.Docker;

public sealed class DockerStreamDemultiplexerTests
{
    [Fact]
    public async Task Frames_are_split_by_stream_and_joined_into_lines_across_frame_boundaries()
    {
        var bytes = Frame(1, "hel").Concat(Frame(2, "oops\n")).Concat(Frame(1, "lo\nworld\r\n")).Concat(Frame(1, "tail")).ToArray();

        var lines = await ReadAll(new MemoryStream(bytes), raw: false);

        Assert.Equal([new LogFrame(true, "oops"), new LogFrame(false, "hello"), new LogFrame(false, "world"), new LogFrame(false, "tail")], lines);
    }

    [Fact]
    public async Task A_tty_stream_is_read_as_plain_stdout()
    {
        var lines = await ReadAll(new MemoryStream(Encoding.UTF8.GetBytes("a\nb\n")), raw: true);

        Assert.Equal([new LogFrame(false, "a"), new LogFrame(false, "b")], lines);
    }

    private static async Task<List<LogFrame>> ReadAll(Stream stream, bool raw)
    {
        var lines = new List<LogFrame>();
        await foreach (var line in DockerStreamDemultiplexer.ReadLinesAsync(stream, raw, TestContext.Current.CancellationToken))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }
}
