namespace DevEnv.Hosting.Model;

/// <summary>
/// A resource that can say what state it is in without creating or changing anything (the <c>status</c>
/// verb): it looks (docker inspect, kind get clusters, the Kubernetes API) and publishes what it found through
/// <see cref="ResourceContext.SetState"/>, e.g. Running, Stopped "container exists but is stopped", or
/// Stopped "not created".
/// </summary>
public interface IStatusProbe
{
    /// <summary>Looks at the resource and publishes its state; must not create, start or change anything.</summary>
    Task ProbeAsync(ResourceContext context, CancellationToken cancellationToken);
}
