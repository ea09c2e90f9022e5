using System.Text;

namespace DevEnv.SampleApi.Tests.Infrastructure;

/// <summary>
/// Reads just enough of an OTLP protobuf export request to check who sent it: traces, metrics and logs requests
/// share the shape <c>repeated Resource* = 1 { Resource resource = 1 { repeated KeyValue attributes = 1 } }</c>,
/// with <c>KeyValue { string key = 1; AnyValue value = 2 { string string_value = 1 } }</c>.
/// </summary>
public static class OtlpPayload
{
    /// <summary>The string attributes of every resource in the request.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ResourceAttributes(byte[] request)
    {
        var resources = new List<IReadOnlyDictionary<string, string>>();
        foreach (var scoped in Fields(request, 1))
        {
            foreach (var resource in Fields(scoped, 1))
            {
                var attributes = new Dictionary<string, string>();
                foreach (var keyValue in Fields(resource, 1))
                {
                    var key = Fields(keyValue, 1).Select(b => Encoding.UTF8.GetString(b)).FirstOrDefault();
                    var value = Fields(keyValue, 2).SelectMany(v => Fields(v, 1)).Select(b => Encoding.UTF8.GetString(b)).FirstOrDefault();
                    if (key is not null && value is not null)
                    {
                        attributes[key] = value;
                    }
                }

                resources.Add(attributes);
            }
        }

        return resources;
    }

    /// <summary>True when <paramref name="text"/> appears anywhere in the request (span names, URL attributes...).</summary>
    public static bool Contains(byte[] request, string text) => request.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    // The length-delimited fields numbered `field` at the top level of `message`.
    private static List<byte[]> Fields(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var i = 0;
        while (i < message.Length)
        {
            var tag = ReadVarint(message, ref i);
            var wireType = (int)(tag & 7);
            var number = (int)(tag >> 3);
            switch (wireType)
            {
                case 0: ReadVarint(message, ref i); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    if (number == field)
                    {
                        found.Add(message[i..(i + length)]);
                    }

                    i += length;
                    break;
                default: throw new FormatException($"unexpected protobuf wire type {wireType} at byte {i}");
            }
        }

        return found;
    }

    private static ulong ReadVarint(byte[] message, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
