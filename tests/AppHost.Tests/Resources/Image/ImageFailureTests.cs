using System.Net;
using System.Net.Sockets;
using DevEnv.Hosting.Clients.Oci;
using DevEnv.Hosting.Clients.Process;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Clients.Oci.Remote;

using DevEnv.AppHost.Tests.Support;

namespace DevEnv.AppHost.Tests.Resources.Image;

/// <summary>Every way the image cannot be built ends in Failed with one line that says what to do; nothing hangs in Building.</summary>
public sealed class ImageFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_registry_that_never_answers_fails_the_build_with_one_line()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () => { while (true) { held.Add(await listener.AcceptTcpClientAsync(Ct)); } }, Ct);
        using var oci = new OciRegistryClient(new Uri($"http://127.0.0.1:{port}/"), timeout: TimeSpan.FromSeconds(1));
        using var ws = new SampleApiWorkspace();
        var settings = new EnvironmentSettings { Name = "t" + Guid.NewGuid().ToString("N")[..8], RegistryPort = port, SourceRoot = ws.Root };
        var image = new ProjectImageResource("image", settings, new ProcessRunner(), oci) { BaseImage = $"localhost:{port}/runtime-deps:10.0" };

        var (result, snapshot) = await BuildAsync(image);

        Assert.Contains("did not answer", result.Error, StringComparison.Ordinal);
        Assert.Equal(ResourceStates.Failed, snapshot.State);
        listener.Stop();
        await accepting.ContinueWith(_ => { }, CancellationToken.None);
        held.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_base_that_cannot_be_pulled_names_the_image_the_host_and_both_ways_out()
    {
        await using var env = new DockerTestEnvironment();
        var closed = FreePort.Next(); // nothing listens there: the engine's pull is refused
        var baseImage = $"127.0.0.1:{closed}/devenv-missing/base:1";
        var image = Image(env, baseImage, remoteAnswers: true);

        var (result, snapshot) = await BuildAsync(image);

        Assert.StartsWith($"Base image {baseImage} is not in the local Docker Engine and cannot be pulled from 127.0.0.1:{closed} (", result.Error, StringComparison.Ordinal);
        Assert.Contains($"`docker pull {baseImage}`", result.Error, StringComparison.Ordinal);
        Assert.Contains("DEVENV_BASE_IMAGE", result.Error, StringComparison.Ordinal);
        Assert.Equal(ResourceStates.Failed, snapshot.State);
    }

    [Fact]
    public async Task A_digest_pinned_base_with_its_registry_offline_fails_with_one_line()
    {
        await using var env = new DockerTestEnvironment();
        var baseImage = "mcr.microsoft.com/dotnet/runtime-deps@sha256:" + new string('0', 64);
        var image = Image(env, baseImage, remoteAnswers: false);

        var (result, snapshot) = await BuildAsync(image);

        Assert.Equal($"Base image {baseImage} is not in the local Docker Engine and cannot be pulled from mcr.microsoft.com (mcr.microsoft.com cannot be reached). "
            + $"Run `docker pull {baseImage}` where mcr.microsoft.com can be reached, or set DEVENV_BASE_IMAGE to an image the local Docker Engine has.", result.Error);
        Assert.Equal(ResourceStates.Failed, snapshot.State);
    }

    [Fact]
    public async Task An_exception_no_step_expects_still_fails_the_build_with_its_type_and_message_never_a_stuck_state()
    {
        await using var env = new DockerTestEnvironment();
        var baseImage = $"127.0.0.1:{FreePort.Next()}/devenv-missing/base:1";
        // The reachability check stands in for any step with a bug: it throws what no catch in the pipeline names.
        var image = Image(env, baseImage, (_, _) => throw new InvalidOperationException("a bug\nin two lines"));

        var (result, snapshot) = await BuildAsync(image);

        Assert.StartsWith("Building ", result.Error, StringComparison.Ordinal);
        Assert.Contains("failed with an unexpected InvalidOperationException: a bug in two lines", result.Error, StringComparison.Ordinal);
        Assert.Contains("stack trace is in this resource's log", result.Error, StringComparison.Ordinal);
        Assert.Equal(ResourceStates.Failed, snapshot.State);
    }

    [Fact]
    public async Task A_token_server_that_answers_a_web_page_fails_the_build_with_one_line_naming_it()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        registry.Tokens!.AnswersHtml = true;

        var (result, snapshot) = await BuildAsync(RemoteImage(registry));

        Assert.StartsWith($"Registry {registry.Host}: the token server {registry.Tokens.Realm} answered text/html that is not the token JSON", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(SecureRegistry.Password, result.Error, StringComparison.Ordinal);
        Assert.Equal(ResourceStates.Failed, snapshot.State);
    }

    [Fact]
    public async Task A_token_server_that_cannot_be_reached_fails_the_build_with_one_line_after_the_retries()
    {
        await using var registry = await SecureRegistry.StartWithTokenAuthAsync(Ct);
        var realm = registry.Tokens!.Realm;
        await registry.Tokens.DisposeAsync(); // the registry still sends clients to it: connection refused

        var (result, snapshot) = await BuildAsync(RemoteImage(registry));

        Assert.StartsWith($"Registry {registry.Host}: its token server {realm} does not answer (", result.Error, StringComparison.Ordinal);
        Assert.Contains("HTTPS_PROXY/NO_PROXY", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", result.Error, StringComparison.Ordinal);
        Assert.Equal(ResourceStates.Failed, snapshot.State);
    }

    // An image on the real TLS token-auth registry as the remote target; the base is read first, before any publish.
    private static ProjectImageResource RemoteImage(SecureRegistry registry)
    {
        var target = registry.Target();
        var oci = ObservedClient.Create(registry, retryDelay: TimeSpan.FromMilliseconds(50));
        var settings = new EnvironmentSettings { Name = registry.Name, RemoteRegistry = target };
        return new ProjectImageResource("image", settings, new ProcessRunner(), oci) { BaseImage = $"{registry.Host}/{target.Repository("runtime-deps")}:10.0" };
    }

    private static ProjectImageResource Image(DockerTestEnvironment env, string baseImage, bool remoteAnswers) =>
        Image(env, baseImage, (_, _) => Task.FromResult(remoteAnswers));

    private static ProjectImageResource Image(DockerTestEnvironment env, string baseImage, Func<string, CancellationToken, Task<bool>> remoteAnswers)
    {
        var settings = new EnvironmentSettings { Name = env.Name, RegistryPort = FreePort.Next() };
        var registry = new FakeOciRegistry();
        return new ProjectImageResource("image", settings, new ProcessRunner(), registry)
        {
            BaseImage = baseImage,
            BaseImages = new BaseImageResolver(env.Engine, settings, registry, remoteAnswers),
        };
    }

    // One build; the result's error is one line and the resource is no longer Building or Pushing.
    private static async Task<(ImageBuildResult Result, TestSnapshot Snapshot)> BuildAsync(ProjectImageResource image)
    {
        var notifications = new TestNotifications();
        var result = await image.BuildAsync(notifications.Context(image.Name), Ct);
        Assert.False(result.Success);
        Assert.DoesNotContain('\n', result.Error!);
        return (result, notifications.Get(image.Name));
    }
}
