using System.Text;
using System.Text.Json;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.Hosting.Clients.Oci.Auth;

/// <summary>
/// Finds registry credentials the way the docker CLI does, after our own settings: DEVENV_REGISTRY_USERNAME and
/// DEVENV_REGISTRY_PASSWORD; else <c>$DOCKER_CONFIG/config.json</c> (default ~/.docker/config.json): a
/// <c>credHelpers</c> entry for the host, then <c>credsStore</c>, through <c>docker-credential-&lt;helper&gt; get</c>,
/// then the <c>identitytoken</c> or base64 <c>auth</c> of <c>auths</c> (an identity token, or a helper's user name
/// <c>&lt;token&gt;</c>, gives credentials whose <see cref="RegistryCredentials.IsIdentityToken"/> is set). Reads only; nothing is ever written or printed.
/// </summary>
public sealed class DockerCredentialSource(Func<string, string?> read, IProcessRunner runner)
{
    /// <summary>The docker config file consulted: $DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
    public string ConfigFile => Path.Combine(
        read("DOCKER_CONFIG") is { Length: > 0 } dir ? dir : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"),
        "config.json");

    /// <summary>
    /// The credentials for <paramref name="host"/> (host[:port], or docker's https://index.docker.io/v1/ for Docker Hub: the
    /// key `docker login` writes and a credential helper is asked for), or null when none are configured (anonymous).
    /// </summary>
    public async Task<RegistryCredentials?> FindAsync(string host, CancellationToken cancellationToken)
    {
        var user = read("DEVENV_REGISTRY_USERNAME");
        var password = read("DEVENV_REGISTRY_PASSWORD");
        if (!string.IsNullOrEmpty(user) || !string.IsNullOrEmpty(password))
        {
            return string.IsNullOrEmpty(user) || password is null
                ? throw new OciRegistryException(null, "Set both DEVENV_REGISTRY_USERNAME and DEVENV_REGISTRY_PASSWORD, or neither (then the docker config is used).")
                : new RegistryCredentials(user, password, "DEVENV_REGISTRY_USERNAME/PASSWORD");
        }

        if (!File.Exists(ConfigFile))
        {
            return null;
        }

        JsonElement config;
        try
        {
            config = JsonDocument.Parse(await File.ReadAllTextAsync(ConfigFile, cancellationToken).ConfigureAwait(false)).RootElement;
        }
        catch (JsonException ex)
        {
            throw new OciRegistryException(null, $"{ConfigFile} is not valid JSON ({ex.Message}); fix it or set DOCKER_CONFIG to another folder.");
        }

        if (Lookup(config, "credHelpers", host) is { ValueKind: JsonValueKind.String } helper)
        {
            return await FromHelperAsync(helper.GetString()!, host, cancellationToken).ConfigureAwait(false);
        }

        if (config.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName
            && await FromHelperAsync(storeName, host, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        return Lookup(config, "auths", host) is { ValueKind: JsonValueKind.Object } entry ? FromAuthEntry(entry, host) : null;
    }

    // auths keys are written as "host", "https://host" or "https://host/v1/" (docker login's own spelling for Docker Hub).
    private static JsonElement? Lookup(JsonElement config, string section, string host)
    {
        if (!config.TryGetProperty(section, out var entries) || entries.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var entry in entries.EnumerateObject())
        {
            if (string.Equals(HostOf(entry.Name), HostOf(host), StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }

    // "https://index.docker.io/v1/" → "index.docker.io"; "registry.example.com:5443" as it is.
    private static string HostOf(string key) =>
        (key.Contains("://", StringComparison.Ordinal) ? key[(key.IndexOf("://", StringComparison.Ordinal) + 3)..] : key).Split('/')[0];

    private RegistryCredentials? FromAuthEntry(JsonElement entry, string host)
    {
        var source = $"auths[\"{host}\"] in {ConfigFile}";
        if (entry.TryGetProperty("identitytoken", out var identity) && identity.GetString() is { Length: > 0 } refresh)
        {
            // docker uses an identity token instead of the password whenever one is there (the auth's user is then a
            // placeholder such as ACR's 00000000-0000-0000-0000-000000000000).
            return new RegistryCredentials(RegistryCredentials.IdentityTokenUser, refresh, source) { IsIdentityToken = true };
        }

        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                throw new OciRegistryException(null, $"The auth of {source} is not base64 of user:password; run `docker login {host}` again.");
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon <= 0
                ? throw new OciRegistryException(null, $"The auth of {source} is not base64 of user:password; run `docker login {host}` again.")
                : new RegistryCredentials(decoded[..colon], decoded[(colon + 1)..], source);
        }

        return entry.TryGetProperty("username", out var u) && entry.TryGetProperty("password", out var p) && u.GetString() is { Length: > 0 } name
            ? new RegistryCredentials(name, p.GetString() ?? "", source)
            : null;
    }

    // The credential helper protocol: `docker-credential-<name> get`, the server on stdin, {"Username","Secret"} on stdout.
    // Its output is never logged (it carries the secret): the process runner gets a log that drops every line.
    private async Task<RegistryCredentials?> FromHelperAsync(string helper, string host, CancellationToken cancellationToken)
    {
        var program = $"docker-credential-{helper}";
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(new ProcessSpec(program, ["get"]) { StandardInput = host }, ResourceLog.None, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolNotFoundException)
        {
            throw new OciRegistryException(null, $"{ConfigFile} names the credential helper '{helper}', but {program} is not on PATH; install it or remove it from the config.");
        }

        if (result.ExitCode != 0)
        {
            // "credentials not found in native keychain" is the protocol's answer for a host it does not know.
            return null;
        }

        try
        {
            var answer = JsonDocument.Parse(result.Output).RootElement;
            var user = answer.GetProperty("Username").GetString() ?? "";
            var secret = answer.GetProperty("Secret").GetString() ?? "";
            return secret.Length == 0 ? null : new RegistryCredentials(user, secret, $"{program} (named in {ConfigFile})");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new OciRegistryException(null, $"{program} get answered something that is not the credential helper protocol's JSON; check the helper works with `echo {host} | {program} get`.");
        }
    }
}
