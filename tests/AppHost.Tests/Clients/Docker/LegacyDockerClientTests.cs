using DevEnv.AppHost.Clients.Docker;

namespace DevEnv.AppHost.Tests.Clients.Docker;

/// <summary>
/// TEMPORARY: the hand-written client's calls that the kind cluster resource still makes (files into node containers,
/// the registry onto the kind network, not-found as null), against the real daemon. They go with Clients/Docker/Legacy/
/// when the cluster is ported at merge with issue 15's cluster work.
/// </summary>
public sealed class LegacyDockerClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_a_file_with_its_missing_directories_into_a_running_container_without_a_shell_and_reads_it_back()
    {
        await using var env = new DockerTestEnvironment();
        var d = env.Docker;
        var id = await env.CreateContainerAsync(env.Name + "-files", start: true, Ct);
        // The path kind's nodes get, with the colon of host:port in a directory name; the fixture image has no /etc/containerd.
        var path = $"/etc/containerd/certs.d/localhost:{DockerTestEnvironment.FreePort()}/hosts.toml";
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

        await d.Containers.WriteFileAsync(id, path, "first\n"u8.ToArray(), mode, Ct);
        await d.Containers.WriteFileAsync(id, path, "[host.\"http://r:5000\"]\n"u8.ToArray(), mode, Ct);

        Assert.Equal("[host.\"http://r:5000\"]\n", System.Text.Encoding.UTF8.GetString(await d.Containers.ReadFileAsync(id, path, Ct)));
        Assert.True((await d.Containers.InspectAsync(id, Ct)).State.Running);
        var missing = await Assert.ThrowsAsync<DockerNotFoundException>(() => d.Containers.ReadFileAsync(id, path + ".nothing", Ct));
        Assert.Contains("hosts.toml.nothing", missing.Message);
    }

    [Fact]
    public async Task Writes_into_a_stopped_container_and_a_missing_container_is_not_found()
    {
        await using var env = new DockerTestEnvironment();
        var id = await env.CreateContainerAsync(env.Name + "-created", start: false, Ct);

        await env.Docker.Containers.WriteFileAsync(id, "/tmp/a/b.txt", "b"u8.ToArray(), UnixFileMode.UserRead, Ct);

        Assert.Equal("b"u8.ToArray(), await env.Docker.Containers.ReadFileAsync(id, "/tmp/a/b.txt", Ct));
        await Assert.ThrowsAsync<DockerNotFoundException>(() =>
            env.Docker.Containers.WriteFileAsync(env.Name + "-nothing", "/tmp/x", "x"u8.ToArray(), UnixFileMode.UserRead, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => env.Docker.Containers.WriteFileAsync(id, "relative/x", "x"u8.ToArray(), UnixFileMode.UserRead, Ct));
    }

    [Fact]
    public async Task Connects_a_real_container_to_a_real_network_once()
    {
        await using var env = new DockerTestEnvironment();
        var network = env.Name + "-net";
        await env.Docker.Networks.CreateAsync(network, env.Labels, Ct);
        var id = await env.CreateContainerAsync(env.Name + "-joiner", start: true, Ct);

        await env.Docker.Networks.ConnectAsync(network, env.Name + "-joiner", null, Ct);
        await env.Docker.Networks.ConnectAsync(network, id, null, Ct); // already connected: not an error

        Assert.Contains(network, (await env.Docker.Containers.InspectAsync(id, Ct)).NetworkSettings.Networks!.Keys);
        var members = (await env.Docker.Networks.TryInspectAsync(network, Ct))!.Containers!;
        Assert.Equal(env.Name + "-joiner", Assert.Single(members.Values).Name);
    }

    [Fact]
    public async Task Missing_objects_raise_the_typed_not_found_exception_with_status_and_message()
    {
        await using var env = new DockerTestEnvironment();

        var ex = await Assert.ThrowsAsync<DockerNotFoundException>(() => env.Docker.Containers.InspectAsync(env.Name + "-nothing", Ct));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains("No such container", ex.Message);
        Assert.Null(await env.Docker.Images.TryInspectAsync("devenv-no-such-image:" + env.Name, Ct));
        Assert.Null(await env.Docker.Networks.TryInspectAsync(env.Name + "-nothing", Ct));
        Assert.Null(await env.Docker.Volumes.TryInspectAsync(env.Name + "-nothing", Ct));
    }
}
