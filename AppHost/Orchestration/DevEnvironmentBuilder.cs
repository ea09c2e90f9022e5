using DevEnv.AppHost.Clients.Process;
using DevEnv.AppHost.Configuration;
using DevEnv.AppHost.Model;

namespace DevEnv.AppHost.Orchestration;

/// <summary>
/// Where the environment is written as code: resources are added here (through the <c>Add*</c>
/// extension methods each resource kind provides) and wired to each other, then <see cref="Build"/>.
/// </summary>
public sealed class DevEnvironmentBuilder
{
    private readonly List<Resource> _resources = [];
    private readonly Dictionary<Type, object> _services = [];

    /// <summary>Creates a builder on the given settings and process runner.</summary>
    public DevEnvironmentBuilder(EnvironmentSettings settings, IProcessRunner? processRunner = null, TimeProvider? time = null)
    {
        Settings = settings;
        ProcessRunner = processRunner ?? new ProcessRunner();
        Time = time ?? TimeProvider.System;
        Notifications = new ResourceNotificationService(Time);
        Logs = new ResourceLogService(Time);
    }

    /// <summary>The environment's settings.</summary>
    public EnvironmentSettings Settings { get; }

    /// <summary>The one runner of external commands.</summary>
    public IProcessRunner ProcessRunner { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Where state changes are published.</summary>
    public ResourceNotificationService Notifications { get; }

    /// <summary>Per-resource logs.</summary>
    public ResourceLogService Logs { get; }

    /// <summary>The resources added so far, in order.</summary>
    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>Adds a resource; names must be unique.</summary>
    public T AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' was added twice.");
        }

        _resources.Add(resource);
        return resource;
    }

    /// <summary>Commands added to resources from outside them (e.g. verify-rollout on the deployment), by resource name.</summary>
    internal List<(Resource Resource, Func<DevEnvironment, ResourceCommand> Create)> ExtraCommands { get; } = [];

    /// <summary>
    /// Offers one more command on <paramref name="resource"/>, created once the environment exists (so it can run
    /// other resources' commands). Used to attach behaviour that lives outside the resource, such as verify-rollout.
    /// </summary>
    public void AddCommand(Resource resource, Func<DevEnvironment, ResourceCommand> create) => ExtraCommands.Add((resource, create));

    /// <summary>
    /// A client shared by the resources that need it (one Docker client, one Kubernetes client...),
    /// created on first use.
    /// </summary>
    public T GetOrAddService<T>(Func<DevEnvironmentBuilder, T> create) where T : class
    {
        if (!_services.TryGetValue(typeof(T), out var service))
        {
            service = create(this);
            _services[typeof(T)] = service;
        }

        return (T)service;
    }

    /// <summary>
    /// Checks the graph (every dependency added, no cycles), registers each resource with the notification
    /// service, and returns the environment that runs it.
    /// </summary>
    public DevEnvironment Build() => new(this);
}
