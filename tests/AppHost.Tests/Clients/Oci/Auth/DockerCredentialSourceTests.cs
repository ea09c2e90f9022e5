using System.Text;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Clients.Oci.Auth;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Clients.Oci.Auth;

/// <summary>Credentials found as the docker CLI finds them, after DEVENV_REGISTRY_USERNAME/PASSWORD; the secret never in ToString.</summary>
public sealed class DockerCredentialSourceTests : IDisposable
{
    private const string Host = "registry.example.com:5443";
    private readonly string _folder = Directory.CreateTempSubdirectory("devenv-dockercfg-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Base64_auths_are_read_under_any_spelling_of_the_host_key()
    {
        WriteConfig("""{"auths":{"https://HOST/v1/":{"auth":"AUTH(alice:pa:ss)"},"other.io":{"auth":"AUTH(bob:x)"}}}""");

        var found = await Source().FindAsync(Host, Ct);

        Assert.Equal("alice", found!.Username);
        Assert.Equal("pa:ss", found.Secret);
        Assert.Contains("config.json", found.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("pa:ss", found.ToString(), StringComparison.Ordinal);
        Assert.Null(await Source().FindAsync("unknown.io", Ct));
    }

    [Fact]
    public async Task A_credHelpers_entry_runs_the_helper_with_the_host_on_stdin_and_wins_over_auths()
    {
        WriteConfig("""{"credHelpers":{"HOST":"devenvtest"},"auths":{"HOST":{"auth":"AUTH(stale:old)"}}}""");
        var runner = new FakeProcessRunner().On(
            s => s.FileName == "docker-credential-devenvtest" && s.Arguments.SequenceEqual(["get"]) && s.StandardInput == Host,
            _ => (0, """{"ServerURL":"registry.example.com:5443","Username":"helper-user","Secret":"helper-secret"}""", ""));

        var found = await Source(runner).FindAsync(Host, Ct);

        Assert.Equal(("helper-user", "helper-secret"), (found!.Username, found.Secret));
        Assert.Equal("docker-credential-devenvtest get", Assert.Single(runner.CommandLines));
    }

    [Fact]
    public async Task Docker_Hub_is_found_under_the_key_docker_login_writes_and_its_helper_is_asked_for_that_key()
    {
        var hub = RegistryTarget.Parse("docker.io/team");
        WriteConfig("""{"auths":{"https://index.docker.io/v1/":{"auth":"AUTH(hubuser:hubsecret)"}}}""");
        var found = await Source().FindAsync(hub.CredentialKey, Ct);
        Assert.Equal(("hubuser", "hubsecret"), (found!.Username, found.Secret));

        File.WriteAllText(Path.Combine(_folder, "config.json"), """{"credsStore":"devenvhub"}""");
        var runner = new FakeProcessRunner().On(
            s => s.FileName == "docker-credential-devenvhub" && s.StandardInput == "https://index.docker.io/v1/",
            _ => (0, """{"ServerURL":"https://index.docker.io/v1/","Username":"helper-user","Secret":"helper-secret"}""", ""));
        Assert.Equal("helper-user", (await Source(runner).FindAsync(hub.CredentialKey, Ct))!.Username);
    }

    [Fact]
    public async Task A_credsStore_that_knows_nothing_falls_back_to_auths_and_a_missing_helper_is_one_line()
    {
        WriteConfig("""{"credsStore":"devenvstore","auths":{"HOST":{"auth":"AUTH(carol:c)"}}}""");
        var runner = new FakeProcessRunner().On(s => s.FileName == "docker-credential-devenvstore", _ => (1, "", "credentials not found in native keychain"));

        Assert.Equal("carol", (await Source(runner).FindAsync(Host, Ct))!.Username);

        var missing = new FakeProcessRunner();
        missing.Missing.Add("docker-credential-devenvstore");
        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => Source(missing).FindAsync(Host, Ct));
        Assert.Contains("docker-credential-devenvstore is not on PATH", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DEVENV_REGISTRY_USERNAME_and_PASSWORD_win_and_need_each_other()
    {
        WriteConfig("""{"auths":{"HOST":{"auth":"AUTH(file:f)"}}}""");

        var found = await Source(env: new() { ["DEVENV_REGISTRY_USERNAME"] = "env-user", ["DEVENV_REGISTRY_PASSWORD"] = "env-pass" }).FindAsync(Host, Ct);
        Assert.Equal(("env-user", "env-pass", "DEVENV_REGISTRY_USERNAME/PASSWORD"), (found!.Username, found.Secret, found.Source));

        var ex = await Assert.ThrowsAsync<OciRegistryException>(() => Source(env: new() { ["DEVENV_REGISTRY_USERNAME"] = "only-user" }).FindAsync(Host, Ct));
        Assert.Contains("both DEVENV_REGISTRY_USERNAME and DEVENV_REGISTRY_PASSWORD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_config_file_means_anonymous()
    {
        Assert.Null(await Source().FindAsync(Host, Ct));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private DockerCredentialSource Source(FakeProcessRunner? runner = null, Dictionary<string, string>? env = null) =>
        new(key => key == "DOCKER_CONFIG" ? _folder : env?.GetValueOrDefault(key), runner ?? new FakeProcessRunner());

    // HOST stands for the registry, AUTH(user:secret) for its base64, so the JSON reads as written.
    private void WriteConfig(string json) => File.WriteAllText(Path.Combine(_folder, "config.json"),
        System.Text.RegularExpressions.Regex.Replace(json.Replace("HOST", Host, StringComparison.Ordinal), @"AUTH\(([^)]*)\)", m => Convert.ToBase64String(Encoding.UTF8.GetBytes(m.Groups[1].Value))));
}
