using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>Settings and contexts for resource tests: a unique environment name and a temporary state folder.</summary>
public sealed class TestResources : IDisposable
{
    /// <summary>Creates a unique environment (name "t" + 8 hex chars) with its own state folder.</summary>
    public TestResources()
    {
        Name = "t" + Guid.NewGuid().ToString("N")[..8];
        StateDirectory = Directory.CreateTempSubdirectory("devenv-test-").FullName;
        Settings = new EnvironmentSettings { Name = Name, StateDirectory = StateDirectory, RegistryPort = 45001, NodePort = 32001 };
    }

    /// <summary>The environment name.</summary>
    public string Name { get; }

    /// <summary>The temporary state folder (kubeconfig, kind config).</summary>
    public string StateDirectory { get; }

    /// <summary>The settings.</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>Notifications shared by the contexts.</summary>
    public ResourceNotificationService Notifications { get; } = new();

    /// <summary>Logs shared by the contexts.</summary>
    public ResourceLogService Logs { get; } = new();

    /// <summary>A registered resource's context.</summary>
    public ResourceContext Context(Resource resource)
    {
        Notifications.Register(new ResourceSnapshot { Name = resource.Name, Kind = resource.Kind });
        return new ResourceContext(resource.Name, Notifications, Logs);
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(StateDirectory, recursive: true);
}
