using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Registry;
using DevEnv.AppHost.Tests.Support;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DevEnv.AppHost.Tests.Clients.Docker;

/// <summary>
/// What DevEnv adds to Docker.DotNet, against the real daemon on this machine: an engine that does not answer is one
/// actionable message, "none" is null, and a refused or failed pull or push fails with the engine's own words.
/// </summary>
public sealed class DockerEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_engine_that_does_not_answer_gives_one_actionable_message_on_a_socket_and_over_tcp()
    {
        var socket = $"/tmp/devenv-no-docker-{Guid.NewGuid():N}.sock";
        using var onSocket = DockerEngine.Connect(DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? "unix://" + socket : null, "/nonexistent-home"));
        var port = FreePort.Next(); // nothing listens there
        using var overTcp = DockerEngine.Connect(DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? $"tcp://127.0.0.1:{port}" : null, "/nonexistent-home"));

        var ex = await Assert.ThrowsAsync<DockerUnavailableException>(() => onSocket.System.PingAsync(Ct));
        var tcp = await Assert.ThrowsAsync<DockerUnavailableException>(() => overTcp.Containers.InspectContainerAsync("anything", Ct));

        Assert.StartsWith($"Cannot reach the Docker Engine at unix://{socket} (from DOCKER_HOST) for GET /_ping: ", ex.Message);
        Assert.Contains("Is Docker running?", ex.Message);
        Assert.Contains($"DOCKER_HOST=unix://{socket}", ex.LookedAt);
        Assert.StartsWith($"Cannot reach the Docker Engine at tcp://127.0.0.1:{port}/ (from DOCKER_HOST) for GET ", tcp.Message);
        Assert.Contains("refused", tcp.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_registry_status_of_an_engine_that_does_not_answer_is_failed_with_what_to_do()
    {
        var socket = $"/tmp/devenv-no-docker-{Guid.NewGuid():N}.sock";
        using var unreachable = DockerEngine.Connect(DockerEndpointResolver.Resolve(k => k == "DOCKER_HOST" ? "unix://" + socket : null, "/nonexistent-home"));
        var settings = new EnvironmentSettings { Name = "t" + Guid.NewGuid().ToString("N")[..8], RegistryPort = FreePort.Next() };
        var registry = new RegistryResource("registry", settings, unreachable);
        var notifications = new TestNotifications();

        await registry.ProbeAsync(notifications.Context(registry.Name), Ct);

        var snapshot = notifications.Get(registry.Name);
        Assert.Equal(ResourceStates.Failed, snapshot.State);
        Assert.StartsWith($"Cannot reach the Docker Engine at unix://{socket} (from DOCKER_HOST)", snapshot.Reason);
        Assert.Contains("Is Docker running?", snapshot.Reason);
    }

    [Fact]
    public async Task Missing_objects_are_null_and_a_refusal_keeps_the_daemons_words()
    {
        await using var env = new DockerTestEnvironment();

        Assert.Null(await env.Engine.Containers.TryInspectContainerAsync(env.Name + "-nothing", Ct));
        Assert.Null(await env.Engine.Images.TryInspectImageAsync("devenv-no-such-image:" + env.Name, Ct));
        Assert.Null(await env.Engine.Volumes.TryInspectVolumeAsync(env.Name + "-nothing", Ct));
        var ex = await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => env.Engine.Containers.InspectContainerAsync(env.Name + "-nothing", Ct));
        Assert.Equal($"No such container: {env.Name}-nothing", ex.DaemonMessage());
    }

    [Fact]
    public async Task A_pull_the_engine_refuses_fails_with_its_reason()
    {
        await using var env = new DockerTestEnvironment();
        // Nothing listens on this loopback port, so the pull fails fast and without leaving the machine.
        var image = $"127.0.0.1:{FreePort.Next()}/nothing:{env.Name}";

        var ex = await Assert.ThrowsAnyAsync<DockerApiException>(() => env.Engine.Images.PullImageAsync(image, null, Ct));

        Assert.Contains("127.0.0.1", ex.DaemonMessage());
        Assert.Contains("connection refused", ex.DaemonMessage());
    }

    [Fact]
    public async Task A_push_that_fails_inside_the_engines_message_stream_throws_with_the_engines_words()
    {
        await using var env = new DockerTestEnvironment();
        // The engine answers 200 and only then finds that nothing listens at the registry: the error is in the stream.
        var repository = $"127.0.0.1:{FreePort.Next()}/devenv-push-{env.Name}";
        await env.Engine.Images.TagImageAsync(DockerTestEnvironment.FixtureBaseImage, new ImageTagParameters { RepositoryName = repository, Tag = "1" }, Ct);
        try
        {
            var ex = await Assert.ThrowsAsync<DockerStreamFailedException>(() => env.Engine.Images.PushImageAsync(repository, "1", Ct));

            Assert.StartsWith($"Docker Engine: push {repository}:1 failed: ", ex.Message);
            Assert.Contains("connection refused", ex.DaemonMessage());
        }
        finally
        {
            await env.Engine.Images.DeleteImageAsync(repository + ":1", new ImageDeleteParameters(), CancellationToken.None);
        }
    }
}
