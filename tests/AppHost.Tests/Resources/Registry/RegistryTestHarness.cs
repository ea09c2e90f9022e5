using DevEnv.AppHost.Clients.Docker;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;
using DevEnv.AppHost.Resources.Image;
using DevEnv.AppHost.Resources.Registry;
using DevEnv.AppHost.Tests.Clients.Docker;

namespace DevEnv.AppHost.Tests.Resources.Registry;

/// <summary>A registry resource on a test environment: own name, free port, own network, fixture image; removed by label afterwards.</summary>
public sealed class RegistryTestHarness : IAsyncDisposable
{
    /// <summary>Creates the harness (nothing started yet).</summary>
    public RegistryTestHarness(Func<EnvironmentSettings, EnvironmentSettings>? adjust = null)
    {
        Env = new DockerTestEnvironment();
        var settings = new EnvironmentSettings
        {
            Name = Env.Name,
            RegistryPort = DockerTestEnvironment.FreePort(),
            RegistryImage = DockerTestEnvironment.RegistryImage,
            KindNetwork = Env.Name + "-kind",
        };
        Settings = adjust is null ? settings : adjust(settings);
        Notifications = new ResourceNotificationService();
        Logs = new ResourceLogService();
        Registry = NewResource(Settings);
    }

    /// <summary>The Docker side and clean-up.</summary>
    public DockerTestEnvironment Env { get; }

    /// <summary>The settings the registry runs with.</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>Where resource state goes.</summary>
    public ResourceNotificationService Notifications { get; }

    /// <summary>Where resource logs go.</summary>
    public ResourceLogService Logs { get; }

    /// <summary>The resource under test.</summary>
    public RegistryResource Registry { get; }

    /// <summary>The context of <see cref="Registry"/>.</summary>
    public ResourceContext Context => ContextFor(Registry);

    /// <summary>A registry resource for other settings, registered under its own name.</summary>
    public RegistryResource NewResource(EnvironmentSettings settings, string? name = null)
    {
        var resource = new RegistryResource(name ?? "registry-" + Guid.NewGuid().ToString("N")[..6], settings, Env.Docker) { ReadyTimeout = TimeSpan.FromSeconds(60) };
        Notifications.Register(new ResourceSnapshot { Name = resource.Name, Kind = resource.Kind });
        return resource;
    }

    /// <summary>The context of any resource registered here.</summary>
    public ResourceContext ContextFor(Resource resource) => new(resource.Name, Notifications, Logs);

    /// <summary>Copies the fixture base image into the registry with the daemon; returns the repository ("runtime-deps").</summary>
    public async Task<string> PushFixtureBaseAsync(CancellationToken cancellationToken)
    {
        var reference = await BaseImageSeeder.SeedAsync(Env.Docker, Settings, DockerTestEnvironment.FixtureBaseImage, cancellationToken);
        return ImageReference.Split(reference).Repository.Split('/')[^1];
    }

    /// <summary>Removes what the test created, whatever happened.</summary>
    public async ValueTask DisposeAsync()
    {
        await Registry.StopAsync(Context, CancellationToken.None);
        await Env.DisposeAsync();
    }
}
