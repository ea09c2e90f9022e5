using System.Net;
using System.Text;
using DevEnv.Hosting.Resources.Cluster;
using DevEnv.AppHost.Tests.Clients.Docker;
using Docker.DotNet;
using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Cluster;

/// <summary>
/// The engine operations the kind cluster makes beyond plain inspection (files into and out of node containers, the
/// registry onto the kind network, the architecture), against the real daemon with real containers.
/// </summary>
public sealed class ClusterEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task Writes_a_file_with_its_missing_directories_into_a_running_container_without_a_shell_and_reads_it_back()
    {
        await using var env = new DockerTestEnvironment();
        var engine = new ClusterEngine(env.Engine);
        var id = await env.CreateContainerAsync(env.Name + "-files", start: true, Ct);
        // The path kind's nodes get, with the colon of host:port in a directory name; the fixture image has no /etc/containerd.
        var path = $"/etc/containerd/certs.d/localhost:{FreePort.Next()}/hosts.toml";

        await engine.WriteFileAsync(id, path, "first\n"u8.ToArray(), Mode, Ct);
        await engine.WriteFileAsync(id, path, "[host.\"http://r:5000\"]\n"u8.ToArray(), Mode, Ct);

        Assert.Equal("[host.\"http://r:5000\"]\n", Encoding.UTF8.GetString(await engine.ReadFileAsync(id, path, Ct)));
        var stat = await env.Engine.Containers.GetArchiveFromContainerAsync(id, new() { Path = path }, statOnly: true, Ct);
        Assert.Equal(Mode, (UnixFileMode)((uint)stat.Stat.Mode & 0x1FF)); // the mode asked for, not the engine's default
        Assert.True((await engine.TryInspectContainerAsync(id, Ct))!.State!.Running);
        var missing = await Assert.ThrowsAnyAsync<DockerApiException>(() => engine.ReadFileAsync(id, path + ".nothing", Ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("hosts.toml.nothing", missing.Message);
    }

    [Fact]
    public async Task Writes_into_and_reads_from_a_stopped_container_and_a_missing_container_is_not_found()
    {
        await using var env = new DockerTestEnvironment();
        var engine = new ClusterEngine(env.Engine);
        var id = await env.CreateContainerAsync(env.Name + "-created", start: false, Ct);

        await engine.WriteFileAsync(id, "/tmp/a/b.txt", "b"u8.ToArray(), UnixFileMode.UserRead, Ct);

        Assert.Equal("b"u8.ToArray(), await engine.ReadFileAsync(id, "/tmp/a/b.txt", Ct));
        var ex = await Assert.ThrowsAnyAsync<DockerApiException>(() => engine.WriteFileAsync(env.Name + "-nothing", "/tmp/x", "x"u8.ToArray(), UnixFileMode.UserRead, Ct));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        await Assert.ThrowsAsync<ArgumentException>(() => engine.WriteFileAsync(id, "relative/x", "x"u8.ToArray(), UnixFileMode.UserRead, Ct));
        Assert.Null(await engine.TryInspectContainerAsync(env.Name + "-nothing", Ct));
    }

    [Fact]
    public async Task Connects_a_real_container_to_a_real_network_once_and_again_is_no_error()
    {
        await using var env = new DockerTestEnvironment();
        var engine = new ClusterEngine(env.Engine);
        var network = env.Name + "-net";
        await env.CreateNetworkAsync(network, env.Labels, Ct);
        var id = await env.CreateContainerAsync(env.Name + "-joiner", start: true, Ct);

        await engine.ConnectNetworkAsync(network, env.Name + "-joiner", Ct);
        await engine.ConnectNetworkAsync(network, id, Ct); // already connected: not an error

        Assert.Contains(network, (await engine.TryInspectContainerAsync(id, Ct))!.NetworkSettings!.Networks!.Keys);
        var members = (await env.TryInspectNetworkAsync(network, Ct))!.Containers!;
        Assert.Equal(env.Name + "-joiner", Assert.Single(members.Values).Name);
    }

    [Fact]
    public async Task Reports_the_engines_architecture_and_whether_an_image_is_there()
    {
        await using var env = new DockerTestEnvironment();
        var engine = new ClusterEngine(env.Engine);

        Assert.Equal((await env.Engine.System.GetVersionAsync(Ct)).Arch, await engine.ArchitectureAsync(Ct));
        Assert.NotEqual("", await engine.ArchitectureAsync(Ct));
        Assert.True(await engine.HasImageAsync(DockerTestEnvironment.RegistryImage, Ct));
        Assert.False(await engine.HasImageAsync("devenv-no-such-image:" + env.Name, Ct));
    }
}
