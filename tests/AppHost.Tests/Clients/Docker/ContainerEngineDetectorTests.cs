using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Model;

namespace DevEnv.AppHost.Tests.Clients.Docker;

/// <summary>
/// Which engine answers: the real engine on this machine (a native dockerd on Debian) identified from its own report and
/// checked against what the docker CLI reads of the same engine; the other products from the fields they report, as
/// their documentation and users' <c>docker info</c> show them (no such engine can run here).
/// </summary>
public sealed class ContainerEngineDetectorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_engine_here_is_native_dockerd_as_the_docker_cli_reports_it_and_the_gateway_relay_is_its_telemetry_path()
    {
        var endpoint = DockerEndpointResolver.Resolve();
        using var docker = DockerEngine.Connect(endpoint);

        var engine = await ContainerEngineDetector.DetectAsync(docker, endpoint, Ct);

        var cli = await new ProcessRunner().RunCheckedAsync(new ProcessSpec("docker",
            ["info", "--format", "{{.OperatingSystem}}|{{.Name}}|{{.ServerVersion}}"]), ResourceLog.None, Ct);
        var fields = cli.Output.Trim().Split('|');
        var components = await new ProcessRunner().RunCheckedAsync(new ProcessSpec("docker",
            ["version", "--format", "{{range .Server.Components}}{{.Name}};{{end}}"]), ResourceLog.None, Ct);
        Assert.Equal(fields[0], engine.OperatingSystem);
        Assert.Equal(fields[2], engine.ServerVersion);
        Assert.Equal(ContainerEngineDetector.Classify(fields[0], fields[1], components.Output.Trim().Split(';', StringSplitOptions.RemoveEmptyEntries), endpoint.Uri, true), engine.Kind);
        // This machine's engine: dockerd from Debian on this host's socket (ENVIRONMENT.md).
        Assert.Equal(ContainerEngineKind.NativeDockerd, engine.Kind);
        Assert.True(engine.GatewayRelayWorks);
        Assert.StartsWith($"native dockerd {fields[2]} ({fields[0]}) at {endpoint}: pods' telemetry through the kind network's gateway", engine.Summary);
    }

    [Theory]
    [InlineData("Docker Desktop", "docker-desktop", "Engine", "unix:///Users/dev/.docker/run/docker.sock", false, ContainerEngineKind.DockerDesktop)]
    [InlineData("Docker Desktop", "docker-desktop", "Engine", "npipe:////./pipe/docker_engine", false, ContainerEngineKind.DockerDesktop)]
    [InlineData("Docker Desktop", "docker-desktop", "Engine", "unix:///home/dev/.docker/desktop/docker.sock", true, ContainerEngineKind.DockerDesktop)]
    [InlineData("Rancher Desktop WSL Distribution", "DEV-PC", "Engine", "npipe:////./pipe/docker_engine", false, ContainerEngineKind.RancherDesktop)]
    [InlineData("Alpine Linux v3.20", "lima-rancher-desktop", "Engine", "unix:///Users/dev/.rd/docker.sock", false, ContainerEngineKind.RancherDesktop)]
    [InlineData("Ubuntu 24.04.1 LTS", "colima", "Engine", "unix:///Users/dev/.colima/default/docker.sock", false, ContainerEngineKind.Colima)]
    [InlineData("Ubuntu 24.04.1 LTS", "colima-work", "Engine", "unix:///Users/dev/.colima/work/docker.sock", false, ContainerEngineKind.Colima)]
    [InlineData("fedora", "localhost.localdomain", "Podman Engine;Conmon;OCI Runtime (crun)", "unix:///var/folders/x/podman/podman-machine-default-api.sock", false, ContainerEngineKind.Podman)]
    [InlineData("debian", "laptop", "Podman Engine", "unix:///run/user/1000/podman/podman.sock", true, ContainerEngineKind.Podman)]
    [InlineData("OrbStack", "orbstack", "Engine", "unix:///Users/dev/.orbstack/run/docker.sock", false, ContainerEngineKind.OrbStack)]
    [InlineData("Debian GNU/Linux 12 (bookworm)", "vm", "Engine;containerd;runc", "unix:///var/run/docker.sock", true, ContainerEngineKind.NativeDockerd)]
    [InlineData("Ubuntu 22.04.5 LTS", "box", "Engine", "tcp://127.0.0.1:2375", true, ContainerEngineKind.NativeDockerd)]
    [InlineData("Ubuntu 22.04.5 LTS", "build-01", "Engine", "tcp://10.20.0.7:2376", true, ContainerEngineKind.RemoteDockerd)]
    [InlineData("Ubuntu 22.04.5 LTS", "vm", "Engine", "unix:///var/run/docker.sock", false, ContainerEngineKind.RemoteDockerd)]
    public void Each_product_is_told_from_what_its_engine_reports_and_where_it_is_reached(string operatingSystem, string name, string components, string endpoint,
        bool hostIsLinux, ContainerEngineKind expected)
    {
        var kind = ContainerEngineDetector.Classify(operatingSystem, name, components.Split(';'), new Uri(endpoint), hostIsLinux);

        Assert.Equal(expected, kind);
        var engine = new ContainerEngine(kind, operatingSystem, "27.3.1", endpoint);
        Assert.Equal(kind == ContainerEngineKind.NativeDockerd, engine.GatewayRelayWorks);
        Assert.Contains(kind == ContainerEngineKind.NativeDockerd ? "through the kind network's gateway on this host" : "in-cluster receiver read through the Kubernetes API",
            engine.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_that_does_not_answer_is_the_one_actionable_message_not_a_guess()
    {
        var endpoint = DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? $"unix:///tmp/devenv-no-docker-{Guid.NewGuid():N}.sock" : null, "/nonexistent-home");
        using var docker = DockerEngine.Connect(endpoint);

        var ex = await Assert.ThrowsAsync<DockerUnavailableException>(() => ContainerEngineDetector.DetectAsync(docker, endpoint, Ct));

        Assert.StartsWith($"Cannot reach the Docker Engine at {endpoint.Uri}", ex.Message);
    }
}
