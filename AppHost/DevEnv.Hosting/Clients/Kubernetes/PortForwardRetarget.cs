namespace DevEnv.Hosting.Clients.Kubernetes;

/// <summary>A port-forward (the managed forward, not yet written) moved to another pod: new connections go to <paramref name="To"/>.</summary>
/// <param name="From">The pod it forwarded to before; null at the first ready pod.</param>
/// <param name="To">The ready pod it forwards to now; null while none is ready (connections wait for one).</param>
/// <param name="Why">In words, e.g. "pod sampleapi-7d9-x2k is terminating".</param>
public sealed record PortForwardRetarget(string? From, string? To, string Why);
