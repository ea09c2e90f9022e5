namespace DevEnv.Hosting.Model;

/// <summary>
/// What brings one Aspire resource of ours to its desired state (the image, the kind cluster, a deployment): the
/// behaviour behind a custom resource, kept apart from the resource type so the CLI verbs (status, down, build) can
/// run it without the dashboard. Aspire owns ordering (WaitFor), state, logs and commands; this owns the work.
/// </summary>
public abstract class Reconciler(string name)
{
    /// <summary>The Aspire resource's name, shown in the dashboard and the console.</summary>
    public string Name { get; } = name;

    /// <summary>Kind shown next to the name, e.g. "Image".</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Brings the resource to Running (idempotent: reuse what is already there and healthy).
    /// Publish progress through <paramref name="context"/>; throw with an actionable message on failure.
    /// </summary>
    public abstract Task StartAsync(ResourceContext context, CancellationToken cancellationToken);

    /// <summary>Called when the AppHost exits (Ctrl+C). The default leaves the resource running for a fast next start.</summary>
    public virtual Task StopAsync(ResourceContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Removes what this resource created (the <c>down</c> verb). Only what carries our label.</summary>
    public virtual Task DestroyAsync(ResourceContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Commands this resource offers, bound to the context it runs in; shown as Aspire dashboard commands.</summary>
    public virtual IReadOnlyList<ResourceCommand> GetCommands(ResourceContext context) => [];
}
