using DevEnv.Hosting.Configuration;
using DevEnv.Hosting.Model;

namespace DevEnv.AppHost.Tests.Support;

/// <summary>Settings under a unique environment name, and contexts that report to Aspire's real notification service.</summary>
public sealed class TestResources : IDisposable
{
    /// <summary>Creates a unique environment with its own state directory.</summary>
    public TestResources()
    {
        Name = "t" + Guid.NewGuid().ToString("N")[..8];
        StateDirectory = Directory.CreateTempSubdirectory("devenv-test-").FullName;
        Settings = new EnvironmentSettings { Name = Name, StateDirectory = StateDirectory, RegistryPort = 45001, NodePort = 32001 };
    }

    /// <summary>The environment's name.</summary>
    public string Name { get; }

    /// <summary>Its state directory (deleted on dispose).</summary>
    public string StateDirectory { get; }

    /// <summary>Its settings.</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>Aspire's notification service, with test reads.</summary>
    public TestNotifications Notifications { get; } = new();

    /// <summary>What the resources logged.</summary>
    public TestLogs Logs { get; } = new();

    /// <summary>A context for <paramref name="reconciler"/>, reporting here.</summary>
    public ResourceContext Context(Reconciler reconciler) => Context(reconciler.Name);

    /// <summary>A context for a resource named <paramref name="name"/>, reporting here.</summary>
    public ResourceContext Context(string name) => Notifications.Context(name, Logs);

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(StateDirectory, recursive: true);
}
