namespace DevEnv.Hosting.Model;

/// <summary>
/// A resource that keeps data beyond <see cref="Reconciler.DestroyAsync"/> (the registry's blob volume), so a
/// fresh <c>up</c> after <c>down</c> pushes nothing new. <c>down --purge</c> calls <see cref="PurgeAsync"/> after destroying.
/// </summary>
public interface IPurgeable
{
    /// <summary>Removes the kept data (only what carries the environment's label).</summary>
    Task PurgeAsync(ResourceContext context, CancellationToken cancellationToken);
}
