using System.Text;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Clients.Oci.Remote;

/// <summary>
/// A real registry container (the fixture image: Debian's docker-registry 2.8.2) on a free 127.0.0.1 port with TLS from a
/// test CA and either htpasswd basic auth (bcrypt, from Debian's apache2-utils) or token auth against a
/// <see cref="TestTokenServer"/>. Configured by the registry's own REGISTRY_* variables; labelled with the test's
/// environment name and removed on dispose, with its folder of certificates and files.
/// </summary>
public sealed class SecureRegistry : IAsyncDisposable
{
    /// <summary>The user the registry accepts.</summary>
    public const string User = "devenv-user";

    /// <summary>The password it accepts (a test secret: tests check it never shows in an error).</summary>
    public const string Password = "s3cret-Pa55-for-tests";

    private readonly ProcessRunner _runner = new();
    private string? _containerId;

    private SecureRegistry()
    {
        Folder = Directory.CreateTempSubdirectory("devenv-secure-registry-").FullName;
        Ca = new TestCertificateAuthority($"DevEnv test CA {Name}");
        CaFile = Path.Combine(Folder, "ca.crt");
        File.WriteAllText(CaFile, Ca.CertificatePem);
        CertDirectory = Directory.CreateDirectory(Path.Combine(Folder, "trust")).FullName;
        File.Copy(CaFile, Path.Combine(CertDirectory, "ca.crt"));
    }

    /// <summary>The test's environment name (the container's label value).</summary>
    public string Name { get; } = "t" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];

    /// <summary>Certificates, htpasswd, docker configs.</summary>
    public string Folder { get; }

    /// <summary>The CA that signed the registry's certificate.</summary>
    public TestCertificateAuthority Ca { get; }

    /// <summary>The CA as a PEM file.</summary>
    public string CaFile { get; }

    /// <summary>A folder holding only ca.crt, for skopeo's --cert-dir (which would take a *.key beside it for a client key).</summary>
    public string CertDirectory { get; }

    /// <summary>The published port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>host:port.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The token server, when started with token auth.</summary>
    public TestTokenServer? Tokens { get; private set; }

    /// <summary>A TLS registry with htpasswd basic auth for <see cref="User"/>/<see cref="Password"/>.</summary>
    public static async Task<SecureRegistry> StartWithHtpasswdAsync(CancellationToken cancellationToken)
    {
        var registry = new SecureRegistry();
        return await registry.StartedAsync(async () =>
        {
            var htpasswd = await registry._runner.RunCheckedAsync(new ProcessSpec("htpasswd", ["-Bbn", User, Password]), ResourceLog.None, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(registry.Folder, "htpasswd"), htpasswd.Output.Trim() + "\n", cancellationToken);
            await registry.RunAsync(["REGISTRY_AUTH=htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM=devenv-test", "REGISTRY_AUTH_HTPASSWD_PATH=/certs/htpasswd"], cancellationToken);
        });
    }

    /// <summary>A TLS registry that wants tokens from a <see cref="TestTokenServer"/> accepting <see cref="User"/>/<see cref="Password"/>.</summary>
    public static async Task<SecureRegistry> StartWithTokenAuthAsync(CancellationToken cancellationToken)
    {
        var registry = new SecureRegistry();
        registry.Tokens = new TestTokenServer(registry.Ca, User, Password);
        return await registry.StartedAsync(() => registry.RunAsync(
        [
            "REGISTRY_AUTH=token", $"REGISTRY_AUTH_TOKEN_REALM={registry.Tokens.Realm}", $"REGISTRY_AUTH_TOKEN_SERVICE={TestTokenServer.Service}",
            $"REGISTRY_AUTH_TOKEN_ISSUER={TestTokenServer.Issuer}", "REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE=/certs/ca.crt",
        ], cancellationToken));
    }

    /// <summary>The same registry without TLS or auth (plain HTTP on 127.0.0.1), for the loopback fallback.</summary>
    public static async Task<SecureRegistry> StartPlainAsync(CancellationToken cancellationToken)
    {
        var registry = new SecureRegistry();
        return await registry.StartedAsync(() => registry.RunAsync([], cancellationToken, tls: false));
    }

    /// <summary>The remote target for <c>DEVENV_REGISTRY=127.0.0.1:port/path</c>, with or without the CA file.</summary>
    public RegistryTarget Target(string path = "team/devenv", bool withCa = true) =>
        RegistryTarget.Parse($"{Host}/{path}") with { CaFile = withCa ? CaFile : null };

    /// <summary>Writes a docker config folder whose config.json holds base64 <c>auths</c> for this registry; returns the folder (DOCKER_CONFIG).</summary>
    public string WriteDockerConfig(string password = Password)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Folder, "docker-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}"));
        File.WriteAllText(Path.Combine(folder, "config.json"), System.Text.Json.JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [Host] = new { auth } } }));
        return folder;
    }

    /// <summary>
    /// Writes a docker config folder as <c>az acr login</c> leaves it without a credential store: an <c>auths</c> entry
    /// with ACR's placeholder user and an <c>identitytoken</c>; or, given <paramref name="helper"/>, a <c>credHelpers</c>
    /// entry naming docker-credential-&lt;helper&gt;, a real script in the folder answering <c>&lt;token&gt;</c> and the
    /// token (put on the runner's way by <see cref="HelperRunner"/>). Returns the folder (DOCKER_CONFIG).
    /// </summary>
    public string WriteIdentityTokenConfig(string identityToken, string? helper = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Folder, "docker-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        object config = helper is null
            ? new { auths = new Dictionary<string, object> { [Host] = new { auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("00000000-0000-0000-0000-000000000000:")), identitytoken = identityToken } } }
            : new { credHelpers = new Dictionary<string, string> { [Host] = helper } };
        File.WriteAllText(Path.Combine(folder, "config.json"), System.Text.Json.JsonSerializer.Serialize(config));
        if (helper is not null)
        {
            var script = Path.Combine(folder, $"docker-credential-{helper}");
            var answer = System.Text.Json.JsonSerializer.Serialize(new { ServerURL = Host, Username = "<token>", Secret = identityToken });
            File.WriteAllText(script, $"#!/bin/sh\nread host\n[ \"$host\" = \"{Host}\" ] || exit 1\ncat <<'JSON'\n{answer}\nJSON\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return folder;
    }

    /// <summary>The real process runner, running docker-credential-* from <paramref name="dockerConfig"/> (no PATH change for other tests).</summary>
    public static IProcessRunner HelperRunner(string dockerConfig) => new FolderHelperRunner(dockerConfig);

    /// <summary>A client of this registry as the AppHost makes it, with credentials from the docker config in <paramref name="dockerConfig"/>.</summary>
    public OciRegistryClient Client(string dockerConfig, RegistryTarget? target = null, IProcessRunner? runner = null)
    {
        var chosen = target ?? Target();
        var source = new DockerCredentialSource(key => key == "DOCKER_CONFIG" ? dockerConfig : null, runner ?? _runner);
        return OciRegistryClient.ForTarget(chosen, ct => source.FindAsync(chosen.Host, ct), TimeSpan.FromSeconds(30));
    }

    // A start that fails (the registry never answered) removes what it made: the caller never gets an instance to dispose.
    private async Task<SecureRegistry> StartedAsync(Func<Task> start)
    {
        try
        {
            await start();
            return this;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task RunAsync(string[] auth, CancellationToken cancellationToken, bool tls = true)
    {
        var (_, _) = Ca.WriteServerCertificate(Folder);
        Port = FreePort.Next();
        string[] args =
        [
            "run", "-d", "--label", $"{EnvironmentSettings.EnvironmentLabel}={Name}", "-p", $"127.0.0.1:{Port}:5000", "-v", $"{Folder}:/certs:ro",
            .. (tls ? new[] { "-e", "REGISTRY_HTTP_TLS_CERTIFICATE=/certs/server.crt", "-e", "REGISTRY_HTTP_TLS_KEY=/certs/server.key" } : []),
            .. auth.SelectMany(a => new[] { "-e", a }), DockerTestEnvironment.RegistryImage,
        ];
        var run = await _runner.RunCheckedAsync(new ProcessSpec("docker", args), ResourceLog.None, cancellationToken);
        _containerId = run.Output.Trim();
        using var probe = OciRegistryClient.ForTarget(Target(), _ => Task.FromResult<RegistryCredentials?>(null), TimeSpan.FromSeconds(5));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (!await probe.PingAsync(deadline.Token))
            {
                await Task.Delay(200, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var logs = await _runner.RunAsync(new ProcessSpec("docker", ["logs", "--tail", "20", _containerId]), ResourceLog.None, CancellationToken.None);
            throw new TimeoutException($"The TLS registry {Host} did not answer GET /v2/ within 60 s; its log: {logs.Output} {logs.Error}");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var labelled = await _runner.RunAsync(new ProcessSpec("docker", ["ps", "-aq", "--filter", $"label={EnvironmentSettings.EnvironmentLabel}={Name}"]), ResourceLog.None, cts.Token);
        foreach (var id in labelled.StandardOutput.Where(l => l.Length > 0))
        {
            await _runner.RunAsync(new ProcessSpec("docker", ["rm", "-f", "-v", id]), ResourceLog.None, cts.Token);
        }

        if (Tokens is not null)
        {
            await Tokens.DisposeAsync();
        }

        Ca.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private sealed class FolderHelperRunner(string folder) : IProcessRunner
    {
        private readonly ProcessRunner _inner = new();

        public Task<ProcessResult> RunAsync(ProcessSpec spec, ResourceLog log, CancellationToken cancellationToken, Action<string, bool>? onLine = null) =>
            _inner.RunAsync(spec.FileName.StartsWith("docker-credential-", StringComparison.Ordinal) ? spec with { FileName = Path.Combine(folder, spec.FileName) } : spec, log, cancellationToken, onLine);
    }
}
