using DevEnv.AppHost.Clients.Docker;

namespace DevEnv.AppHost.Tests.Clients.Docker;

/// <summary>The Docker client against the real daemon on this machine.</summary>
public sealed class DockerClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Negotiates_the_api_version_down_to_the_daemons_and_reads_the_version()
    {
        await using var env = new DockerTestEnvironment();

        await env.Docker.System.PingAsync(Ct);
        var version = await env.Docker.System.GetVersionAsync(Ct);

        Assert.NotNull(env.Docker.ApiVersion);
        Assert.True(env.Docker.ApiVersion <= DockerTransport.MaxApiVersion);
        Assert.True(env.Docker.ApiVersion <= Version.Parse(version.ApiVersion));
        Assert.Equal("linux", version.Os);
    }

    [Fact]
    public async Task Container_lifecycle_with_labels_ports_logs_top_network_and_volume()
    {
        await using var env = new DockerTestEnvironment();
        var d = env.Docker;
        var name = env.Name + "-c";
        var network = await d.Networks.CreateAsync(env.Name + "-net", env.Labels, Ct);
        var volume = await d.Volumes.CreateAsync(env.Name + "-vol", env.Labels, Ct);
        var port = DockerTestEnvironment.FreePort();

        var id = await d.Containers.CreateAsync(name, new ContainerCreateSpec
        {
            Config = new ContainerConfig
            {
                Image = DockerTestEnvironment.RegistryImage,
                Labels = env.Labels,
                ExposedPorts = new Dictionary<string, object> { ["5000/tcp"] = new() },
            },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>> { ["5000/tcp"] = [new PortBinding("127.0.0.1", port.ToString())] },
                Binds = [$"{volume.Name}:/var/lib/registry"],
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
            },
        }, Ct);
        await d.Networks.ConnectAsync(network, id, ["alias-" + env.Name], Ct);
        await d.Containers.StartAsync(id, Ct);

        var inspect = await d.Containers.InspectAsync(name, Ct);
        Assert.True(inspect.State.Running);
        Assert.Equal(env.Name, inspect.Label("dev.devenv.environment"));
        Assert.Equal("127.0.0.1", inspect.NetworkSettings.Ports!["5000/tcp"]![0].HostIp);
        Assert.Contains(env.Name + "-net", inspect.NetworkSettings.Networks!.Keys);
        Assert.Contains("alias-" + env.Name, inspect.NetworkSettings.Networks[env.Name + "-net"].Aliases!);
        Assert.Single(await d.Containers.ListByLabelAsync(env.LabelFilter, Ct));
        Assert.Single(await d.Volumes.ListByLabelAsync(env.LabelFilter, Ct));
        Assert.Single(await d.Networks.ListByLabelAsync(env.LabelFilter, Ct));

        // The registry logs to stderr; following the log must yield its start-up line, demultiplexed as stderr.
        using var follow = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        follow.CancelAfter(TimeSpan.FromSeconds(30));
        LogFrame? first = null;
        await foreach (var line in d.Containers.LogsAsync(id, new LogsOptions { Follow = true }, follow.Token))
        {
            if (line.Text.Contains("listening on", StringComparison.Ordinal))
            {
                first = line;
                break;
            }
        }

        Assert.NotNull(first);
        Assert.True(first.IsError);

        var top = await d.Containers.TopAsync(id, "-o uid,pid,comm", Ct);
        Assert.Equal("UID", top.Titles[0]);
        Assert.NotEmpty(top.Processes);

        await d.Containers.StopAsync(id, TimeSpan.FromSeconds(5), Ct);
        Assert.False((await d.Containers.InspectAsync(id, Ct)).State.Running);
        await d.Containers.RemoveAsync(id, force: true, Ct);
        Assert.Null(await d.Containers.TryInspectAsync(id, Ct));
        await d.Containers.RemoveAsync(id, force: true, Ct); // idempotent
    }

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

    [Fact]
    public async Task Pulling_an_image_that_cannot_be_pulled_fails_with_the_daemons_message()
    {
        await using var env = new DockerTestEnvironment();
        // Nothing listens on this loopback port, so the pull fails fast and without leaving the machine.
        var image = $"127.0.0.1:{DockerTestEnvironment.FreePort()}/nothing:{env.Name}";

        var ex = await Assert.ThrowsAnyAsync<DockerApiException>(() => env.Docker.Images.PullAsync(image, null, Ct));

        Assert.Contains("127.0.0.1", ex.Message);
    }

    [Fact]
    public async Task Daemon_not_running_gives_one_actionable_message()
    {
        var endpoint = DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? "unix:///tmp/devenv-no-docker-here.sock" : null, "/nonexistent-home");
        using var client = new DockerClient(endpoint);

        var ex = await Assert.ThrowsAsync<DockerUnavailableException>(() => client.System.PingAsync(Ct));

        Assert.Contains("Cannot reach the Docker Engine at unix:///tmp/devenv-no-docker-here.sock (from DOCKER_HOST)", ex.Message);
        Assert.Contains("Is Docker running?", ex.Message);
        Assert.Contains("DOCKER_HOST=unix:///tmp/devenv-no-docker-here.sock", ex.Message);
    }
}
