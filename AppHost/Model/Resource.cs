namespace DevEnv.AppHost.Model;

/// <summary>
/// A piece of the environment (registry, image, cluster, deployment). Small by design: a name, what it
/// depends on, how to bring it up, and the commands it offers. State goes through <see cref="ResourceContext"/>.
/// </summary>
public abstract class Resource(string name)
{
    private readonly List<Resource> _dependencies = [];

    /// <summary>Unique name, shown in the console and dashboard.</summary>
    public string Name { get; } = name;

    /// <summary>Kind shown next to the name, e.g. "Registry".</summary>
    public abstract string Kind { get; }

    /// <summary>Resources that must be usable before this one starts.</summary>
    public IReadOnlyList<Resource> Dependencies => _dependencies;

    /// <summary>Declares that this resource needs <paramref name="dependency"/> to be running first.</summary>
    public void DependsOn(Resource dependency)
    {
        if (!_dependencies.Contains(dependency))
        {
            _dependencies.Add(dependency);
        }
    }

    /// <summary>
    /// Brings the resource to Running (idempotent: reuse what is already there and healthy).
    /// Publish progress through <paramref name="context"/>; throw with an actionable message on failure.
    /// </summary>
    public abstract Task StartAsync(ResourceContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Called when the AppHost exits (Ctrl+C). The default leaves the resource running for a fast next start.
    /// </summary>
    public virtual Task StopAsync(ResourceContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Removes what this resource created (the <c>down</c> verb). Only what carries our label.</summary>
    public virtual Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Commands this resource offers, bound to the context it runs in.</summary>
    public virtual IReadOnlyList<ResourceCommand> GetCommands(ResourceContext context) => [];
}
