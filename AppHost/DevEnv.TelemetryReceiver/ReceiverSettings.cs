using System.Globalization;
using DevEnv.TelemetryReceiver.Protocol;

namespace DevEnv.TelemetryReceiver;

/// <summary>The receiver's settings, from its container's environment (the tokens come from a Secret).</summary>
/// <param name="IngestToken">The token the pods present.</param>
/// <param name="ReadToken">The token the AppHost presents.</param>
/// <param name="BufferBytes">The buffer's bound.</param>
/// <param name="IngestPort">The OTLP/HTTP port.</param>
/// <param name="ReadPort">The AppHost's read port.</param>
internal sealed record ReceiverSettings(string IngestToken, string ReadToken, long BufferBytes, int IngestPort = ReceiverProtocol.IngestPort, int ReadPort = ReceiverProtocol.ReadPort)
{
    /// <summary>The settings, or the one line that says what is missing.</summary>
    public static (ReceiverSettings? Settings, string? Error) From(Func<string, string?> read)
    {
        var ingest = read(ReceiverProtocol.IngestTokenVariable);
        var reader = read(ReceiverProtocol.ReadTokenVariable);
        if (string.IsNullOrEmpty(ingest) || string.IsNullOrEmpty(reader))
        {
            // Without tokens anyone who reaches the Service could send or read: refuse to run rather than run open.
            return (null, $"{ReceiverProtocol.IngestTokenVariable} and {ReceiverProtocol.ReadTokenVariable} must be set (from the Secret DevEnv writes); not starting without them");
        }

        var bound = ReceiverProtocol.DefaultBufferBytes;
        if (read(ReceiverProtocol.BufferBytesVariable) is { Length: > 0 } text
            && !(long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out bound) && bound > 0))
        {
            return (null, $"{ReceiverProtocol.BufferBytesVariable}='{text}' is not a positive number of bytes");
        }

        var ports = new int[2];
        string[] names = [ReceiverProtocol.IngestPortVariable, ReceiverProtocol.ReadPortVariable];
        int[] defaults = [ReceiverProtocol.IngestPort, ReceiverProtocol.ReadPort];
        for (var i = 0; i < 2; i++)
        {
            ports[i] = defaults[i];
            if (read(names[i]) is { Length: > 0 } port
                && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out ports[i]) && ports[i] is > 0 and < 65536))
            {
                return (null, $"{names[i]}='{port}' is not a TCP port");
            }
        }

        return (new ReceiverSettings(ingest, reader, bound, ports[0], ports[1]), null);
    }
}
