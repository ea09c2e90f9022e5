using DevEnv.Hosting.Clients.Docker;
using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;
using DevEnv.Hosting.Resources.Image;
using DevEnv.Hosting.Resources.Registry;
using DevEnv.AppHost.Tests.Clients.Docker;
using DevEnv.AppHost.Tests.Support;
using Docker.DotNet.Models;

namespace DevEnv.AppHost.Tests.Resources.Registry;

/// <summary>
/// A real registry container (the fixture image) on a free 127.0.0.1 port under a unique environment name, as DCP
/// runs it for the AppHost (same container spec: labels, volume, read-only root), removed with everything labelled.
/// </summary>
public sealed class RegistryTestHarness : IAsyncDisposable
{
    /// <summary>Prepares settings for a unique environment; <see cref="StartRegistryAsync"/> runs the container.</summary>
    public RegistryTestHarness(Func<EnvironmentSettings, EnvironmentSettings>? adjust = null)
    {
        Env = new DockerTestEnvironment();
        var settings = new EnvironmentSettings
        {
            Name = Env.Name,
            RegistryPort = FreePort.Next(),
            RegistryImage = DockerTestEnvironment.RegistryImage,
            KindNetwork = Env.Name + "-kind",
        };
        Settings = adjust is null ? settings : adjust(settings);
        Registry = new RegistryResource("registry", Settings, Env.Engine);
    }

    /// <summary>Docker, names and clean-up.</summary>
    public DockerTestEnvironment Env { get; }

    /// <summary>The environment's settings.</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>Aspire's notification service, with test reads.</summary>
    public TestNotifications Notifications { get; } = new();

    /// <summary>What the resources logged.</summary>
    public TestLogs Logs { get; } = new();

    /// <summary>The registry's maintenance (status, volume label, teardown).</summary>
    public RegistryResource Registry { get; }

    /// <summary>A context for the registry.</summary>
    public ResourceContext Context => ContextFor(Registry);

    /// <summary>A context for any reconciler, reporting here.</summary>
    public ResourceContext ContextFor(Reconciler resource) => ContextFor(resource.Name);

    /// <summary>A context for a resource name, reporting here.</summary>
    public ResourceContext ContextFor(string name) => Notifications.Context(name, Logs);

    /// <summary>Creates the labelled volume (as the AppHost does before DCP starts the container), runs the registry and waits for GET /v2/.</summary>
    public async Task StartRegistryAsync(CancellationToken cancellationToken)
    {
        await Registry.StartAsync(Context, cancellationToken);
        var spec = RegistryContainerSpec.Build(Settings, "test");
        // The test's kind network does not exist: the registry starts on the default bridge.
        spec.HostConfig!.NetworkMode = "bridge";
        await Env.Engine.Containers.CreateContainerAsync(spec, cancellationToken);
        await Env.Engine.Containers.StartContainerAsync(Settings.RegistryContainerName, new ContainerStartParameters(), cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (!await Registry.Oci.PingAsync(deadline.Token))
        {
            await Task.Delay(200, deadline.Token);
        }
    }

    /// <summary>Pushes the fixture base image into the registry; returns its repository name there.</summary>
    public async Task<string> PushFixtureBaseAsync(CancellationToken cancellationToken)
    {
        var reference = await BaseImageSeeder.SeedAsync(Env.Engine, Settings, DockerTestEnvironment.FixtureBaseImage, cancellationToken);
        return ImageReference.Split(reference).Repository.Split('/')[^1];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Env.DisposeAsync();
}
