namespace DevEnv.Hosting.Configuration;

/// <summary>
/// A registry we push to instead of starting the local one (<c>DEVENV_REGISTRY=&lt;host[:port]/path&gt;</c>): the host
/// the client talks to and the path every repository of this environment lives under (ghcr.io/team/devenv →
/// ghcr.io, team/devenv). TLS is always verified; plain HTTP is allowed only to loopback or when the user says so.
/// </summary>
/// <param name="Host">host[:port], lower-case.</param>
/// <param name="Path">The repository path under the host, without leading or trailing slashes.</param>
/// <param name="Insecure">DEVENV_REGISTRY_INSECURE=1: plain HTTP is allowed to this host.</param>
/// <param name="CaFile">DEVENV_REGISTRY_CA_FILE: an extra CA (PEM) trusted for this registry's certificate.</param>
public sealed record RegistryTarget(string Host, string Path, bool Insecure = false, string? CaFile = null)
{
    /// <summary>True when the host is localhost or 127.0.0.1 (any port): the one place plain HTTP is allowed unasked.</summary>
    public bool IsLoopback => HostName is "localhost" or "127.0.0.1";

    /// <summary>Whether the client may fall back to plain HTTP when the registry does not speak TLS.</summary>
    public bool AllowsPlainHttp => Insecure || IsLoopback;

    /// <summary>The host without its port.</summary>
    public string HostName => Host.Split(':')[0];

    /// <summary>Docker Hub, by any of its names (docker.io, index.docker.io, registry-1.docker.io).</summary>
    public bool IsDockerHub => HostName is "docker.io" or "index.docker.io" or "registry-1.docker.io";

    /// <summary>The host that serves the registry API: Docker Hub's is registry-1.docker.io, whatever name it was given.</summary>
    public string ApiHost => IsDockerHub ? "registry-1.docker.io" : Host;

    /// <summary>
    /// The key of this registry's credentials in the docker config and for a credential helper: for Docker Hub docker's own
    /// https://index.docker.io/v1/ (what `docker login` writes), else the host.
    /// </summary>
    public string CredentialKey => IsDockerHub ? "https://index.docker.io/v1/" : Host;

    /// <summary>The address the client starts with: always https; see <see cref="AllowsPlainHttp"/> for the fallback.</summary>
    public Uri BaseAddress => new($"https://{ApiHost}/");

    /// <summary>The repository name in the registry of an image of ours, e.g. team/devenv/sampleapi.</summary>
    public string Repository(string name) => $"{Path}/{name}";

    /// <summary>The full image name a cluster pulls, e.g. ghcr.io/team/devenv/sampleapi.</summary>
    public string ImageName(string name) => $"{Host}/{Repository(name)}";

    /// <summary>
    /// Reads <c>DEVENV_REGISTRY</c> (and its companions); null when it is not set. A value with a scheme or without a
    /// path throws <see cref="ArgumentException"/> with one line saying what to write instead.
    /// </summary>
    public static RegistryTarget? FromSettings(Func<string, string?> read)
    {
        var value = read("DEVENV_REGISTRY")?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var target = Parse(value);
        var insecure = read("DEVENV_REGISTRY_INSECURE")?.Trim() switch
        {
            null or "" or "0" or "false" => false,
            "1" or "true" => true,
            var text => throw new ArgumentException($"DEVENV_REGISTRY_INSECURE='{text}' is not 0 or 1."),
        };
        var caFile = read("DEVENV_REGISTRY_CA_FILE")?.Trim();
        if (!string.IsNullOrEmpty(caFile) && !File.Exists(caFile))
        {
            throw new ArgumentException($"DEVENV_REGISTRY_CA_FILE='{caFile}' does not exist; point it at the PEM file of the CA that signed the registry's certificate.");
        }

        if (!string.IsNullOrEmpty(caFile) && !HoldsCertificate(caFile))
        {
            throw new ArgumentException($"DEVENV_REGISTRY_CA_FILE='{caFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----); point it at the CA's certificate, not its key.");
        }

        return target with { Insecure = insecure, CaFile = string.IsNullOrEmpty(caFile) ? null : caFile };
    }

    // Read here, so a bad file is a settings error (one line before anything starts), not a failure at the first push.
    private static bool HoldsCertificate(string file)
    {
        var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(file);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return false;
        }

        var any = certificates.Count > 0;
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }

        return any;
    }

    /// <summary>Parses host[:port]/path; throws <see cref="ArgumentException"/> with one line for anything else.</summary>
    public static RegistryTarget Parse(string value)
    {
        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"DEVENV_REGISTRY='{value}' has a scheme; write host[:port]/path without it (e.g. {value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..]}); TLS is always used, DEVENV_REGISTRY_INSECURE=1 allows plain HTTP.");
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? value : value[..slash];
        var path = slash < 0 ? "" : value[(slash + 1)..].Trim('/');
        if (path.Length == 0)
        {
            throw new ArgumentException($"DEVENV_REGISTRY='{value}' has no path; write host[:port]/path (e.g. {host}/devenv), so our repositories live under a path of their own.");
        }

        if (host.Length == 0 || host.Contains('@', StringComparison.Ordinal) || path.Split('/').Any(p => p.Length == 0 || p != p.ToLowerInvariant() || p.Contains(':', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"DEVENV_REGISTRY='{value}' is not host[:port]/path with a lower-case path and no tag (e.g. registry.example.com:5000/team/devenv).");
        }

        return new RegistryTarget(host.ToLowerInvariant(), path);
    }
}
