using System.Security.Cryptography;
using System.Text;
using DevEnv.Hosting.Clients.Docker;

namespace DevEnv.AppHost.Tests.Clients.Docker;

public sealed class DockerEndpointResolverTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("devenv-home-").FullName;

    [Fact]
    public void Docker_host_wins_and_both_unix_and_tcp_are_understood()
    {
        var unix = DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? "unix:///run/user/1000/docker.sock" : null, _home);
        var tcp = DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? "tcp://127.0.0.1:2375" : null, _home);

        Assert.Equal("/run/user/1000/docker.sock", unix.SocketPath);
        Assert.Equal("DOCKER_HOST", unix.Source);
        Assert.False(tcp.IsUnixSocket);
        Assert.Equal(2375, tcp.Uri.Port);
    }

    [Fact]
    public void The_current_docker_context_is_used_when_docker_host_is_not_set()
    {
        Directory.CreateDirectory(Path.Combine(_home, ".docker"));
        File.WriteAllText(Path.Combine(_home, ".docker", "config.json"), """{"currentContext":"colima"}""");
        var meta = Path.Combine(_home, ".docker", "contexts", "meta", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("colima"))));
        Directory.CreateDirectory(meta);
        var host = $"unix://{_home}/.colima/default/docker.sock";
        File.WriteAllText(Path.Combine(meta, "meta.json"), "{\"Name\":\"colima\",\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\"}}}");

        var endpoint = DockerEndpointResolver.Resolve(_ => null, _home);

        Assert.Equal($"{_home}/.colima/default/docker.sock", endpoint.SocketPath);
        Assert.Equal("docker context 'colima'", endpoint.Source);
    }

    [Fact]
    public void Without_configuration_the_default_socket_is_used_and_the_well_known_places_are_listed()
    {
        var endpoint = DockerEndpointResolver.Resolve(k => k == "XDG_RUNTIME_DIR" ? "/run/user/1000" : null, _home);

        Assert.Equal("/var/run/docker.sock", endpoint.SocketPath);
        var looked = string.Join('\n', endpoint.LookedAt);
        Assert.Contains("DOCKER_HOST (not set)", looked);
        Assert.Contains("Docker Desktop", looked);
        Assert.Contains(".rd/docker.sock", looked);
        Assert.Contains(".colima/default/docker.sock", looked);
        Assert.Contains("/run/user/1000/podman/podman.sock", looked);
    }

    [Fact]
    public void Unsupported_schemes_are_rejected_with_the_supported_forms()
    {
        var ex = Assert.Throws<DockerUnavailableException>(() => DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? "ssh://me@box" : null, _home));

        Assert.Contains("unix:///path/to/docker.sock or tcp://host:port", ex.Message);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
