using System.Text.Json;

namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>
/// The local port each forward had, in <c>port-forwards.json</c> under the environment's state folder, so a URL stays
/// the same across restarts of the AppHost (bookmarks, a browser tab, a client's settings keep working).
/// </summary>
public static class PortForwardPorts
{
    /// <summary>The file's name in the state folder.</summary>
    public const string FileName = "port-forwards.json";

    private static readonly Lock Gate = new();

    /// <summary>The port remembered for <paramref name="key"/>, or null.</summary>
    public static int? Remembered(string stateDirectory, string key)
    {
        lock (Gate)
        {
            return Read(stateDirectory).TryGetValue(key, out var port) ? port : null;
        }
    }

    /// <summary>Remembers <paramref name="port"/> for <paramref name="key"/> (the other entries stay).</summary>
    public static void Remember(string stateDirectory, string key, int port)
    {
        lock (Gate)
        {
            var ports = Read(stateDirectory);
            if (ports.TryGetValue(key, out var known) && known == port)
            {
                return;
            }

            ports[key] = port;
            Directory.CreateDirectory(stateDirectory);
            var path = Path.Combine(stateDirectory, FileName);
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(ports, new JsonSerializerOptions { WriteIndented = true }));
            File.Move(temporary, path, overwrite: true);
        }
    }

    private static SortedDictionary<string, int> Read(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, FileName);
        try
        {
            return File.Exists(path)
                ? new SortedDictionary<string, int>(JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path)) ?? [], StringComparer.Ordinal)
                : new SortedDictionary<string, int>(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // A damaged file costs the remembered ports, nothing else: they are picked again and written anew.
            return new SortedDictionary<string, int>(StringComparer.Ordinal);
        }
    }
}
