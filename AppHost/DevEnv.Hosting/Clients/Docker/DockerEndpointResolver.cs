using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DevEnv.Hosting.Clients.Docker;

/// <summary>
/// Finds the Docker endpoint the way the docker CLI does: <c>DOCKER_HOST</c>, else the current docker
/// context (<c>DOCKER_CONTEXT</c> or <c>currentContext</c> in ~/.docker/config.json, whose endpoint lives in
/// ~/.docker/contexts/meta/&lt;sha256(name)&gt;/meta.json), else unix:///var/run/docker.sock.
/// Pure apart from reading files, so it is unit-tested with a fake environment and home folder.
/// </summary>
public static class DockerEndpointResolver
{
    /// <summary>The platform default on Linux and macOS.</summary>
    public const string DefaultSocket = "/var/run/docker.sock";

    /// <summary>The <see cref="DockerEndpoint.Source"/> of an endpoint nothing configured.</summary>
    public const string PlatformDefault = "the platform default";

    /// <summary>Resolves from the process environment.</summary>
    public static DockerEndpoint Resolve() =>
        Resolve(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Resolves from the given environment reader and home folder.</summary>
    public static DockerEndpoint Resolve(Func<string, string?> env, string home)
    {
        var looked = new List<string>();
        var host = env("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(host))
        {
            looked.Add($"DOCKER_HOST={host}");
            return new DockerEndpoint(Parse(host, "DOCKER_HOST"), "DOCKER_HOST", looked);
        }

        looked.Add("DOCKER_HOST (not set)");
        var configDir = env("DOCKER_CONFIG") is { Length: > 0 } dir ? dir : Path.Combine(home, ".docker");
        var context = env("DOCKER_CONTEXT") is { Length: > 0 } named ? named : ReadCurrentContext(configDir);
        if (context is not null && context != "default")
        {
            var meta = Path.Combine(configDir, "contexts", "meta", Sha256Hex(context), "meta.json");
            var contextHost = ReadContextHost(meta);
            if (contextHost is null)
            {
                throw new DockerUnavailableException(
                    $"The current docker context '{context}' has no Docker endpoint in {meta}. Run `docker context use default` or fix the context.",
                    looked);
            }

            looked.Add($"docker context '{context}' ({meta}) -> {contextHost}");
            return new DockerEndpoint(Parse(contextHost, $"docker context '{context}'"), $"docker context '{context}'", looked);
        }

        looked.Add($"docker context {(context is null ? "(none selected in " + Path.Combine(configDir, "config.json") + ")" : "'default'")}");
        looked.Add($"unix://{DefaultSocket} ({Describe(DefaultSocket)})");
        foreach (var (product, path) in WellKnownSockets(env, home))
        {
            looked.Add($"{product}: {path} ({Describe(path)})");
        }

        return new DockerEndpoint(new Uri("unix://" + DefaultSocket), PlatformDefault, looked);
    }

    /// <summary>Where Docker Desktop, Rancher Desktop, Colima, OrbStack and Podman keep their sockets.</summary>
    public static IEnumerable<(string Product, string Path)> WellKnownSockets(Func<string, string?> env, string home)
    {
        yield return ("Docker Desktop", Path.Combine(home, ".docker", "run", "docker.sock"));
        yield return ("Docker Desktop (Linux)", Path.Combine(home, ".docker", "desktop", "docker.sock"));
        yield return ("Rancher Desktop", Path.Combine(home, ".rd", "docker.sock"));
        yield return ("Colima", Path.Combine(home, ".colima", "default", "docker.sock"));
        yield return ("OrbStack", Path.Combine(home, ".orbstack", "run", "docker.sock"));
        var runtimeDir = env("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir))
        {
            yield return ("Podman (rootless)", Path.Combine(runtimeDir, "podman", "podman.sock"));
            yield return ("Docker (rootless)", Path.Combine(runtimeDir, "docker.sock"));
        }

        yield return ("Podman (rootful)", "/run/podman/podman.sock");
    }

    /// <summary>Parses unix:// and tcp:// endpoints; anything else is rejected with the supported forms.</summary>
    public static Uri Parse(string host, string source)
    {
        if (host.StartsWith("unix://", StringComparison.Ordinal) && host.Length > "unix://".Length)
        {
            return new Uri("unix://" + host["unix://".Length..]);
        }

        if (host.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate(host, UriKind.Absolute, out var tcp))
        {
            return tcp;
        }

        throw new DockerUnavailableException(
            $"{source}='{host}' is not supported: use unix:///path/to/docker.sock or tcp://host:port (ssh:// and npipe:// are not supported).",
            [$"{source}={host}"]);
    }

    private static string? ReadCurrentContext(string configDir)
    {
        var path = Path.Combine(configDir, "config.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("currentContext", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        catch (JsonException)
        {
            // The CLI ignores nothing here either, but a broken config must not hide the default socket.
            return null;
        }
    }

    private static string? ReadContextHost(string metaPath)
    {
        if (!File.Exists(metaPath))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(metaPath));
        return doc.RootElement.TryGetProperty("Endpoints", out var endpoints)
            && endpoints.TryGetProperty("docker", out var docker)
            && docker.TryGetProperty("Host", out var h)
            ? h.GetString()
            : null;
    }

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Describe(string path) => File.Exists(path) ? "exists" : "missing";
}
